// `repsim run <scenario>`: one simulation into an output folder, then the summary table.
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { loadScenarioFile } from '../../io/scenario/load.js';
import { resolvedYaml } from '../../io/scenario/resolved.js';
import { ResultsWriter, type OutputFormat } from '../../io/output/index.js';
import { formatSummaryTable } from '../../io/output/table.js';
import { resolveGroups } from '../../control/groups.js';
import { runScenarioSliced } from '../../run.js';
import type { Scenario } from '../../scenario/types.js';
import { VERSION } from '../../version.js';
import { EXIT_OBJECTIVE_MISSED } from '../errors.js';
import { openProgress, withProgress } from '../progress.js';
import type { CliCommand } from './index.js';
import { scenarioOptions, type ScenarioArgs } from './shared.js';

interface RunArgs extends ScenarioArgs {
  out?: string;
  json: boolean;
  quiet: boolean;
  format: OutputFormat;
  charts: boolean;
  report: boolean;
}

export const runCommand: CliCommand = {
  build: (setExitCode) => ({
    command: 'run <scenario>',
    describe: 'simulate a scenario and write its results',
    builder: (y: Argv) =>
      scenarioOptions(y)
        .option('out', { type: 'string', describe: 'output folder (default results/<scenario name>)' })
        .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' })
        .option('quiet', { type: 'boolean', default: false, describe: 'print nothing on success' })
        .option('format', { choices: ['arrow', 'parquet', 'both'] as const, default: 'arrow' as OutputFormat, describe: 'table file format' })
        .option('charts', { type: 'boolean', default: true, describe: 'write charts/ (use --no-charts to skip)' })
        .option('report', { type: 'boolean', default: true, describe: 'write report.html (use --no-report to skip)' })
        .example('$0 run scenarios/quickstart.yaml', 'run into results/quickstart/')
        .example('$0 run scenarios/pull-vs-push.yaml --set replication.0.transfer=push --seed 3 --out /tmp/push', 'override a value'),
    handler: async (argv: unknown) => {
      const a = argv as RunArgs;
      const scenario = loadScenarioFile(a.scenario, { set: a.set, seed: a.seed, duration: a.duration });
      const out = a.out ?? join('results', scenario.name);
      const writer = await ResultsWriter.open(out, {
        formats: a.format, objective_rpo_s: scenario.objectives.rpo_p99_s, charts: a.charts, report: a.report,
        known: { groups: knownGroups(scenario) },
      });
      const onSignal = () => {
        writer.abort();
        process.stderr.write('repsim: interrupted; no output written\n');
        process.exit(130);
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const bar = openProgress({ total: Math.floor(scenario.duration_us / 1e6), unit: 'sim s', label: scenario.name, quiet: a.quiet || a.json });
        // Sliced: SIGINT is handled mid-run. The bar follows simulated time on a terminal only.
        const summary = await runScenarioSliced(scenario, { sink: withProgress(writer, bar) });
        bar.stop();
        await writer.close(summary, resolvedYaml(scenario, { version: VERSION, seed: scenario.seed }));
        if (a.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        else if (!a.quiet) process.stdout.write(`${formatSummaryTable(summary)}\nresults in ${out}/\n`);
        if (!summary.run.objectives_met) {
          if (!a.quiet) process.stderr.write(`objectives missed:\n  ${summary.run.objective_failures.join('\n  ')}\n`);
          setExitCode(EXIT_OBJECTIVE_MISSED);
        }
      } catch (e) {
        writer.abort();
        throw e;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    },
  }),
};

/** Group row names known before the run (seeds the Arrow dictionaries: fewer delta batches). */
export function knownGroups(s: Scenario): string[] {
  const names = resolveGroups(s).map((g) => g.name);
  return ['*', ...names, ...s.replication.flatMap((r, i) => r.also_to.map((t) => `${names[i]}@${t}`))];
}
