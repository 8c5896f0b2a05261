// fast-check parameters from the environment. The default seed is fixed so `npm test` is
// reproducible; REPSIM_FUZZ_SEED=<n> replays a reported failure (fast-check prints the seed and
// path of a counterexample), REPSIM_FUZZ_SEED=random explores new cases, and
// REPSIM_FUZZ_RUNS=<n> sets the number of scenarios (e.g. 2000).
import type { Parameters } from 'fast-check';

const DEFAULT_SEED = 20261122;

export function fuzzRuns(defaultRuns: number): number {
  const env = Number(process.env.REPSIM_FUZZ_RUNS);
  return Number.isFinite(env) && env > 0 ? Math.round(env) : defaultRuns;
}

/** `share` scales REPSIM_FUZZ_RUNS for properties that run fewer cases; `salt` varies the seed per property. */
export function fuzzParams<T>(defaultRuns: number, salt = 0, share = 1): Parameters<T> {
  const numRuns = Math.max(1, Math.round(fuzzRuns(defaultRuns / share) * share));
  const env = process.env.REPSIM_FUZZ_SEED;
  const p: Parameters<T> = { numRuns, verbose: 0 };
  if (env === 'random') return p;
  p.seed = (env !== undefined && env !== '' ? Number(env) : DEFAULT_SEED) + salt;
  return p;
}
