// `repsim bench`: engine throughput (hold model, M/M/1 with its analytic check).
import type { Argv } from 'yargs';
import { runBench } from '../../engine/bench.js';
import { CliError, EXIT_INTERNAL } from '../errors.js';
import type { CliCommand } from './index.js';

export const benchCommand: CliCommand = {
  build: () => ({
    command: 'bench',
    describe: 'measure engine throughput (hold model; M/M/1, 2,000,000 customers, checked against Wq = 9.0)',
    builder: (y: Argv) => y.option('json', { type: 'boolean', default: false, describe: 'print JSON' })
      .example('$0 bench --json', 'machine-readable figures'),
    handler: async (argv: unknown) => {
      const a = argv as { json: boolean };
      const r = await runBench();
      const err = Math.abs(r.mm1.wq - r.mm1.wq_expected) / r.mm1.wq_expected;
      if (a.json) process.stdout.write(`${JSON.stringify(r)}\n`);
      else {
        process.stdout.write(
          `hold:  ${(r.hold.events_per_s / 1e6).toFixed(2)} M events/s\n` +
          `mm1:   ${(r.mm1.events_per_s / 1e6).toFixed(2)} M events/s, ${(r.mm1.customers_per_s / 1e6).toFixed(2)} M customers/s\n` +
          `       Wq ${r.mm1.wq.toFixed(4)} (analytic ${r.mm1.wq_expected}, error ${(err * 100).toFixed(2)}%)\n`);
      }
      if (err > 0.02) throw new CliError(EXIT_INTERNAL, `M/M/1 mean wait ${r.mm1.wq} is more than 2% from ${r.mm1.wq_expected}`);
    },
  }),
};
