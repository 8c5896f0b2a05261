// `npm run schema`: regenerate scenarios/schema.json from the zod schema.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchemaText } from './json-schema.js';

// dist/src/io/scenario/write-schema.js -> <repo>/scenarios/schema.json (also right from src/ under a TS runner).
const here = fileURLToPath(import.meta.url);
const root = here.includes('/dist/') ? here.slice(0, here.lastIndexOf('/dist/')) : here.slice(0, here.lastIndexOf('/src/'));
const out = `${root}/scenarios/schema.json`;
writeFileSync(out, scenarioJsonSchemaText());
console.log(`wrote ${out}`);
