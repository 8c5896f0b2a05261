// Bundles the sweep worker (dist/src/experiments/worker.js and everything it imports) into a few
// files in dist/worker/, so that each worker thread of a sweep loads ~4 files instead of ~600
// (apache-arrow, zod and yaml are each hundreds of small modules): the import took 0.4-0.7 s
// per worker thread, at the start of every sweep, and ~0.15 s bundled. The charts and report
// code stay lazy (split chunks). Native and wasm packages stay external.
//
// Rolldown, not esbuild: esbuild turns every top-level const of a bundle into a var, and V8
// then loads and checks module constants (batch sizes, masks, kinds) on every use instead of
// folding them in: the journal model ran 18% more instructions per write in esbuild's bundle,
// and the same as unbundled in rolldown's.
//
// `node scripts/bundle-worker.mjs` after tsc; src/experiments/pool.ts uses the bundle when it is
// newer than every file it was built from (inputs.json), else the unbundled worker.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const WORKER_BUNDLE_DIR = join(root, 'dist', 'worker');

/** Writes dist/worker/worker.js (+ chunks) and dist/worker/inputs.json; returns the input count. */
export async function bundleWorker() {
  const { build } = await import('rolldown');
  rmSync(WORKER_BUNDLE_DIR, { recursive: true, force: true });
  const result = await build({
    input: join(root, 'dist', 'src', 'experiments', 'worker.js'),
    platform: 'node',
    // Loaded by require or with files beside them (.wasm, .node): resolved from node_modules.
    external: [/^node:/, /^parquet-wasm/, /^@resvg\/resvg-js/, /^esbuild/],
    output: {
      dir: WORKER_BUNDLE_DIR,
      format: 'esm',
      // CommonJS packages inside an ESM bundle call require().
      banner: "import { createRequire as __repsimRequire } from 'node:module'; const require = __repsimRequire(import.meta.url);",
    },
    // A dependency's direct eval (vega's expression code) is theirs and works as is.
    onLog(level, log, handler) {
      if (log.code !== 'EVAL') handler(level, log);
    },
  });
  // The project's own compiled files: a tsc build newer than the bundle makes it stale.
  const dist = join(root, 'dist') + '/';
  const inputs = [...new Set(result.output.flatMap((chunk) => chunk.moduleIds ?? []))].filter((id) => id.startsWith(dist) && !id.startsWith(WORKER_BUNDLE_DIR));
  mkdirSync(WORKER_BUNDLE_DIR, { recursive: true });
  writeFileSync(join(WORKER_BUNDLE_DIR, 'inputs.json'), JSON.stringify(inputs.map((id) => relative(WORKER_BUNDLE_DIR, id))));
  return inputs.length;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const n = await bundleWorker();
  console.log(`wrote ${WORKER_BUNDLE_DIR} (${n} compiled inputs)`);
}
