// `repsim size <scenario> --vary path=lo..hi --objective 'rpo_p99_s<=30' [--seeds ...]`:
// the smallest value (largest for intervals) meeting the objective, the evidence, and the
// vendor rule of thumb beside it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { parseObjective } from '../../experiments/objective.js';
import { parseSeeds } from '../../experiments/plan.js';
import { size, type Direction, type Probe, type SizeResult } from '../../experiments/size.js';
import { CliError, EXIT_BAD_INPUT, EXIT_OBJECTIVE_MISSED } from '../errors.js';
import type { CliCommand } from './index.js';

interface SizeArgs {
  scenario: string;
  vary: string;
  objective: string[];
  seeds?: string;
  share: number;
  set?: string[];
  duration?: string;
  workers?: number;
  direction?: Direction;
  tolerance: number;
  group?: string;
  safety: number;
  out?: string;
  json: boolean;
  quiet: boolean;
}

export const sizeCommand: CliCommand = {
  build: (setExitCode) => ({
    command: 'size <scenario>',
    describe: 'find the smallest link bandwidth / journal capacity (or largest interval) meeting an objective',
    builder: (y: Argv) =>
      y
        .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario file (YAML or JSON)' })
        .option('vary', { type: 'string', demandOption: true, describe: 'path=lo..hi, e.g. links.0.bandwidth=10Mbps..1Gbps' })
        .option('objective', { type: 'string', array: true, demandOption: true, describe: "metric<=value, e.g. 'rpo_p99_s<=30' (repeatable: all must hold)" })
        .option('seeds', { type: 'string', describe: 'seeds: 1..10, 7 or 1,4,9 (default: the scenario\'s seed)' })
        .option('share', { type: 'number', default: 1, describe: 'share of seeds that must meet the objective (default every seed)' })
        .option('set', { type: 'string', array: true, describe: 'override a value: path=value' })
        .option('duration', { type: 'string', describe: 'override the simulated duration' })
        .option('workers', { type: 'number', describe: 'worker threads (default: every core)' })
        .option('direction', { choices: ['smallest', 'largest'] as const, describe: 'which end to find (default: smallest, largest for *_every/interval/latency paths)' })
        .option('tolerance', { type: 'number', default: 0.01, describe: 'stop when the bracket is narrower than this share of the answer' })
        .option('group', { type: 'string', describe: 'apply the objective to this replication group only (default all)' })
        .option('safety', { type: 'number', default: 1.2, describe: 'safety factor of the bandwidth rule of thumb' })
        .option('out', { type: 'string', describe: 'also write DIR/size.json (answer, probes, rule of thumb)' })
        .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON' })
        .option('quiet', { type: 'boolean', default: false, describe: 'no progress, print only the answer' })
        .example("$0 size scenarios/pull-vs-push.yaml --vary links.0.bandwidth=50Mbps..1Gbps --objective 'rpo_p99_s<=30' --seeds 1..5", 'size the link'),
    handler: async (argv: unknown) => {
      const a = argv as SizeArgs;
      if (a.workers !== undefined && (!Number.isInteger(a.workers) || a.workers < 1)) {
        throw new CliError(EXIT_BAD_INPUT, `--workers ${a.workers}: expected a whole number >= 1`);
      }
      if (!(a.tolerance > 0 && a.tolerance < 1)) throw new CliError(EXIT_BAD_INPUT, `--tolerance ${a.tolerance}: expected a fraction in (0, 1)`);
      const live = !a.quiet && !a.json;
      if (live) process.stdout.write(`probes (${a.objective.join(', ')}):\n`);
      const r = await size({
        scenario: a.scenario, vary: a.vary, objectives: a.objective.map(parseObjective),
        seeds: a.seeds === undefined ? null : parseSeeds(a.seeds), share: a.share, set: a.set ?? [], duration: a.duration ?? null,
        workers: a.workers, direction: a.direction ?? null, tolerance: a.tolerance, group: a.group ?? null, safety: a.safety,
        onProbe: (p) => live && process.stdout.write(`${probeLine(p)}\n`),
      });
      if (a.out) {
        mkdirSync(a.out, { recursive: true });
        writeFileSync(join(a.out, 'size.json'), `${JSON.stringify(r, null, 2)}\n`);
      }
      if (a.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      else if (a.quiet) process.stdout.write(`${r.answer_text ?? 'none'}\n`);
      else process.stdout.write(`${formatSize(r)}\n`);
      if (r.status === 'never') setExitCode(EXIT_OBJECTIVE_MISSED);
    },
  }),
};

export function probeLine(p: Probe): string {
  const worst = Object.entries(p.worst).map(([k, v]) => `worst ${k.split(/[<>=]/)[0]} ${Number(v.toPrecision(6))}`).join(', ');
  return `  ${p.text.padStart(14)}  ${String(p.met).padStart(3)}/${p.seeds} seeds met  ${p.ok ? 'PASS' : 'fail'}  (${worst})`;
}

export function formatSize(r: SizeResult): string {
  const lines: string[] = [];
  const seeds = `${r.share < 1 ? `${Math.round(r.share * 100)}% of ` : 'every one of '}${r.seeds.length} seed${r.seeds.length === 1 ? '' : 's'}`;
  const probes = [...r.probes].sort((x, y) => x.value - y.value);
  const failing = probes.find((p) => p.value === r.failing);
  if (r.status === 'never') lines.push(`no value in the range meets ${r.objectives.join(' and ')} on ${seeds}: widen the range`);
  else if (r.status === 'always') lines.push(`${r.path} = ${r.answer_text}: the ${r.direction === 'smallest' ? 'low' : 'high'} end of the range already meets ${r.objectives.join(' and ')} on ${seeds}`);
  else {
    lines.push(`${r.direction} ${r.path} meeting ${r.objectives.join(' and ')} on ${seeds}: ${r.answer_text}` +
      (failing ? ` (${failing.text} fails: ${failing.met}/${failing.seeds} seeds)` : ''));
  }
  if (r.rule) {
    const verdict = r.rule.vs_answer === null ? '' : r.rule.vs_answer >= 1
      ? ` -> the rule over-sizes by ${((r.rule.vs_answer - 1) * 100).toFixed(0)}%`
      : ` -> the rule UNDER-sizes by ${((1 - r.rule.vs_answer) * 100).toFixed(0)}% (it would miss the objective)`;
    lines.push(`rule of thumb for ${r.rule.group}: ${r.rule.text ?? 'n/a'} = ${r.rule.formula}${verdict}`);
  } else lines.push(`rule of thumb: none for ${r.path} (rules cover links.N.bandwidth and replication.N.journal.capacity)`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}
