// The command table. A command module exports a `build(setExitCode)` returning a yargs command.
import type { CommandModule } from 'yargs';
import { runCommand } from './run.js';
import { validateCommand } from './validate.js';
import { benchCommand } from './bench.js';
import { sweepCommand } from './sweep.js';
import { mergeCommand } from './merge.js';
import { sizeCommand } from './size.js';
import { compareCommand } from './compare.js';

export interface CliCommand {
  build(setExitCode: (code: number) => void): CommandModule<any, any>;
}

export const commands: CliCommand[] = [runCommand, validateCommand, benchCommand, sweepCommand, mergeCommand, sizeCommand, compareCommand];
