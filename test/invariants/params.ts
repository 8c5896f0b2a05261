// fast-check parameters from the environment: REPSIM_FUZZ_RUNS (number of runs) and
// REPSIM_FUZZ_SEED (replay a reported failure).
import type { Parameters } from 'fast-check';

export function fuzzParams<T>(defaultRuns: number, scale = 1): Parameters<T> {
  const env = Number(process.env.REPSIM_FUZZ_RUNS);
  const numRuns = Math.max(1, Math.round((Number.isFinite(env) && env > 0 ? env : defaultRuns) * scale));
  const seedEnv = process.env.REPSIM_FUZZ_SEED;
  const p: Parameters<T> = { numRuns, verbose: 0 };
  if (seedEnv !== undefined && seedEnv !== '') p.seed = Number(seedEnv);
  return p;
}
