// Options every scenario-taking command shares.
import type { Argv } from 'yargs';

export interface ScenarioArgs {
  scenario: string;
  seed?: number;
  set?: string[];
  duration?: string;
}

export function scenarioOptions<T>(y: Argv<T>): Argv<T & ScenarioArgs> {
  return y
    .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario file (YAML or JSON)' })
    .option('seed', { type: 'number', describe: 'run seed (overrides the scenario\'s)' })
    .option('set', { type: 'string', array: true, describe: 'override a value: path=value (e.g. replication.0.transfer=push)' })
    .option('duration', { type: 'string', describe: 'override the simulated duration (e.g. 10m)' }) as unknown as Argv<T & ScenarioArgs>;
}
