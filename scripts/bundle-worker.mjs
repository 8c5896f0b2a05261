// Bundles the sweep worker (dist/src/experiments/worker.js and everything it imports) into a few
// files in dist/worker/, so that each worker thread of a sweep loads ~4 files instead of ~600
// (apache-arrow, zod and yaml are each hundreds of small modules): the import took 0.4-0.7 s
// per worker thread, at the start of every sweep, and 0.2-0.3 s bundled. The charts and report
// code stay lazy (split chunks). Native and wasm packages stay external.
// `node scripts/bundle-worker.mjs` after tsc; src/experiments/pool.ts uses the bundle when it is
// newer than every file it was built from (inputs.json), else the unbundled worker.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const WORKER_BUNDLE_DIR = join(root, 'dist', 'worker');

/** Writes dist/worker/worker.js (+ chunks) and dist/worker/inputs.json; returns the input count. */
export async function bundleWorker() {
  const esbuild = await import('esbuild');
  rmSync(WORKER_BUNDLE_DIR, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: [join(root, 'dist', 'src', 'experiments', 'worker.js')],
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: WORKER_BUNDLE_DIR,
    // Loaded by require or with files beside them (.wasm, .node): resolved from node_modules.
    external: ['parquet-wasm', '@resvg/resvg-js', 'esbuild'],
    // CommonJS packages inside an ESM bundle call require().
    banner: { js: "import { createRequire as __repsimRequire } from 'node:module'; const require = __repsimRequire(import.meta.url);" },
    metafile: true,
    logLevel: 'error',
  });
  // The project's own compiled files: a tsc build newer than the bundle makes it stale.
  const inputs = Object.keys(result.metafile.inputs).filter((p) => p.startsWith('dist/'));
  mkdirSync(WORKER_BUNDLE_DIR, { recursive: true });
  writeFileSync(join(WORKER_BUNDLE_DIR, 'inputs.json'), JSON.stringify(inputs.map((p) => relative(WORKER_BUNDLE_DIR, join(root, p)))));
  return inputs.length;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const n = await bundleWorker();
  console.log(`wrote ${WORKER_BUNDLE_DIR} (${n} compiled inputs)`);
}
