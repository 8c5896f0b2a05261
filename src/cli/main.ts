// The repsim command line. Each command lives in src/cli/commands/; this file wires them into
// yargs and turns every failure into an exit code: 0 ok, 1 objective missed, 2 bad input,
// 3 internal error. Users never see a stack trace for bad input.

import yargs, { type Argv } from 'yargs';
import { ScenarioError, formatScenarioErrors } from '../io/scenario/errors.js';
import { CliError, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK } from './errors.js';
import { commands } from './commands/index.js';

/** A reader that went away (`repsim ... | head`) is not an error: stop writing quietly. */
let pipeGuarded = false;

function quietOnClosedPipe(): void {
  if (pipeGuarded) return; // once per process: main() may be called many times (tests)
  pipeGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
}

export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe();
  let code = EXIT_OK;
  const setCode = (c: number) => {
    if (c > code) code = c;
  };
  let parser: Argv = yargs(argv)
    .scriptName('repsim')
    .usage('$0 <command> [options]\n\nDeterministic discrete-event simulator of remote replication between storage sites.')
    .strict()
    .demandCommand(1, 'give a command: run, validate, bench, ... (see --help)')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .epilogue('Exit codes: 0 ok, 1 an objective was missed, 2 bad input, 3 internal error.')
    .fail((msg, err) => {
      throw err ?? new CliError(EXIT_BAD_INPUT, msg);
    })
    .exitProcess(false);
  for (const c of commands) parser = parser.command(c.build(setCode));
  try {
    await parser.parseAsync();
    return code;
  } catch (e) {
    return report(e);
  }
}

function report(e: unknown): number {
  if (e instanceof ScenarioError) {
    process.stderr.write(`${formatScenarioErrors(e)}\n`);
    return EXIT_BAD_INPUT;
  }
  if (e instanceof CliError) {
    process.stderr.write(`repsim: ${e.message}\n`);
    if (e.code === EXIT_BAD_INPUT) process.stderr.write('Run "repsim --help" for usage.\n');
    return e.code;
  }
  const err = e as Error;
  process.stderr.write(`repsim: internal error: ${err?.message ?? String(e)}\n`);
  if (process.env.REPSIM_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
  return EXIT_INTERNAL;
}
