#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` via the prepare script).
// A failure to load it is an internal error (exit 3), never confused with exit 1 (objective missed).
try {
  const { main } = await import('../dist/src/cli/main.js');
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`repsim: internal error: ${e?.message ?? e}\n` +
    (e?.code === 'ERR_MODULE_NOT_FOUND' ? 'repsim: dist/ is missing or stale: run "npm run build"\n' : ''));
  process.exitCode = 3;
}
