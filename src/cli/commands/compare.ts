// `repsim compare <DIR> [...]`: runs or sweep cells side by side, paired by seed: mean
// difference and 95% Student-t interval per metric; charts with --out (default DIR/compare for
// a single sweep folder).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { compareArms, compareCharts, DEFAULT_METRICS, formatComparison, loadArms } from '../../experiments/compare.js';
import { OutputDir } from '../../io/output/outdir.js';
import type { CliCommand } from './index.js';

interface CompareArgs {
  dirs: string[];
  metric?: string[];
  baseline?: string;
  out?: string;
  charts: boolean;
  json: boolean;
}

export const compareCommand: CliCommand = {
  build: () => ({
    command: 'compare <dirs..>',
    describe: 'compare runs or sweep cells side by side (paired by seed: mean difference, 95% CI) with charts',
    builder: (y: Argv) =>
      y
        .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'run folders and/or sweep folders' })
        .option('metric', { type: 'string', array: true, describe: `summary metrics (default ${DEFAULT_METRICS.join(', ')})` })
        .option('baseline', { type: 'string', describe: 'the option the others are compared with (default the first)' })
        .option('out', { type: 'string', describe: 'write compare.json and charts/ here (default DIR/compare for one sweep folder)' })
        .option('charts', { type: 'boolean', default: true, describe: 'write charts (use --no-charts to skip)' })
        .option('json', { type: 'boolean', default: false, describe: 'print the comparison as JSON' })
        .example('$0 compare results/pvp', 'every cell of a sweep against its first cell')
        .example('$0 compare results/pull results/push', 'two runs'),
    handler: async (argv: unknown) => {
      const a = argv as CompareArgs;
      const arms = loadArms(a.dirs);
      const c = compareArms(arms, a.metric ?? DEFAULT_METRICS, a.baseline);
      if (a.json) process.stdout.write(`${JSON.stringify(c, null, 2)}\n`);
      else process.stdout.write(`${formatComparison(c)}\n`);
      const out = a.out ?? (a.dirs.length === 1 && existsSync(join(a.dirs[0], 'sweep.json')) ? join(a.dirs[0], 'compare') : undefined);
      if (out === undefined) {
        if (!a.json) process.stdout.write('(add --out DIR for compare.json and the charts)\n');
        return;
      }
      const dir = new OutputDir(out);
      try {
        dir.writeFile('compare.json', `${JSON.stringify(c, null, 2)}\n`);
        if (a.charts) {
          const { renderChart } = await import('../../io/charts/render.js'); // lazy: vega is heavy
          for (const [name, spec] of Object.entries(compareCharts(arms, c))) {
            const chart = await renderChart(name, spec);
            dir.writeFile(`charts/${name}.vl.json`, `${JSON.stringify(spec, null, 2)}\n`);
            dir.writeFile(`charts/${name}.svg`, chart.svg);
            dir.writeFile(`charts/${name}.png`, chart.png);
          }
        }
        dir.commit();
      } catch (e) {
        dir.abort();
        throw e;
      }
      if (!a.json) process.stdout.write(`comparison and charts in ${out}/\n`);
    },
  }),
};
