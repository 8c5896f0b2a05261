// `repsim merge <DIR> <DIR> ... --out DIR`: shard folders -> one dataset, identical to an unsharded sweep.
import type { Argv } from 'yargs';
import { mergeSweeps } from '../../experiments/merge.js';
import type { CliCommand } from './index.js';

interface MergeArgs {
  dirs: string[];
  out: string;
  quiet: boolean;
}

export const mergeCommand: CliCommand = {
  build: () => ({
    command: 'merge <dirs..>',
    describe: 'combine sweep shard folders into one dataset (identical to an unsharded sweep)',
    builder: (y: Argv) =>
      y
        .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'shard folders (each with sweep.json)' })
        .option('out', { type: 'string', demandOption: true, describe: 'merged sweep folder' })
        .option('quiet', { type: 'boolean', default: false, describe: 'print nothing on success' })
        .example('$0 merge shard-1 shard-2 shard-3 --out results/sweep', 'merge three shards'),
    handler: async (argv: unknown) => {
      const a = argv as MergeArgs;
      const r = await mergeSweeps(a.dirs, a.out);
      if (!a.quiet) {
        process.stdout.write(`merged ${a.dirs.length} folders: ${r.runs.length} runs (${r.copied} copied), ` +
          `${r.table.rows.length} summary rows in ${a.out}/summary.arrow and .parquet\n`);
      }
    },
  }),
};
