// `repsim validate <scenario>`: load and check; print "ok" and the resolved groups, or the
// located errors (exit 2).
import type { Argv } from 'yargs';
import { resolveGroups } from '../../control/groups.js';
import { loadScenarioFile } from '../../io/scenario/load.js';
import type { CliCommand } from './index.js';
import { scenarioOptions, type ScenarioArgs } from './shared.js';

export const validateCommand: CliCommand = {
  build: () => ({
    command: 'validate <scenario>',
    describe: 'check a scenario: errors with file:line:column, or "ok" and the resolved groups',
    builder: (y: Argv) => scenarioOptions(y).example('$0 validate scenarios/quickstart.yaml', 'check a file'),
    handler: (argv: unknown) => {
      const a = argv as ScenarioArgs;
      const s = loadScenarioFile(a.scenario, { set: a.set, seed: a.seed, duration: a.duration });
      const lines = [`ok: ${a.scenario} (${s.name}, seed ${s.seed}, ${s.duration_us / 1e6} s)`];
      for (const g of resolveGroups(s)) {
        lines.push(`  group ${g.name}: ${g.via}, volumes ${g.volumes.join(', ')} at ${g.source_site}` +
          (g.apps.length ? `, apps ${g.apps.join(', ')}` : ''));
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    },
  }),
};
