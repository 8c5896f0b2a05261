// Bundles vega-embed (with vega and vega-lite) into one IIFE for report.html, so the report
// works offline: `node scripts/bundle-report.mjs` writes dist/report-bundle.js. The report code
// inlines that file; when it is missing (tests run from source) it calls bundleReport() itself.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE_PATH = join(root, 'dist', 'report-bundle.js');

/** Returns the bundle's source: defines the global `vegaEmbed` (with .vega and .vegaLite). */
export async function bundleReport() {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    stdin: {
      contents: "import embed from 'vega-embed'; globalThis.vegaEmbed = embed;",
      resolveDir: root,
      loader: 'js',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'error',
  });
  // '</script' inside the inlined source would end the <script> element early.
  return result.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const js = await bundleReport();
  mkdirSync(dirname(BUNDLE_PATH), { recursive: true });
  writeFileSync(BUNDLE_PATH, js);
  console.log(`wrote ${BUNDLE_PATH} (${(js.length / 1024).toFixed(0)} KiB)`);
}
