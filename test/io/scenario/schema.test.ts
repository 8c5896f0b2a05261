import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchema, scenarioJsonSchemaText } from '../../../src/io/scenario/json-schema.js';

const SCHEMA_FILE = fileURLToPath(new URL('../../../scenarios/schema.json', import.meta.url));
const README = fileURLToPath(new URL('../../../scenarios/README.md', import.meta.url));

describe('scenarios/schema.json', () => {
  it('is the schema generated from the zod schema (run `npm run build && npm run schema` after changing it)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(scenarioJsonSchemaText());
  });

  it('is strict and knows the DESIGN.md top-level keys', () => {
    const s = scenarioJsonSchema() as { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean };
    expect(s.additionalProperties).toBe(false);
    for (const k of ['name', 'seed', 'duration', 'sample_every', 'track_size', 'sites', 'links', 'volumes', 'apps', 'business_processes', 'workloads', 'replication', 'snapshots', 'faults', 'objectives']) {
      expect(s.properties).toHaveProperty(k);
    }
    expect(s.required).toEqual(['duration', 'sites', 'volumes']);
  });
});

describe('scenarios/README.md scenario reference', () => {
  it('documents every key of the schema', () => {
    const readme = readFileSync(README, 'utf8');
    const keys = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      const o = node as Record<string, unknown>;
      if (o.properties && typeof o.properties === 'object') Object.keys(o.properties).forEach((k) => keys.add(k));
      Object.values(o).forEach(walk);
    };
    walk(scenarioJsonSchema());
    // A key counts as documented when it appears as a word inside some `code` span.
    const words = new Set((readme.match(/`[^`]+`/g) ?? []).flatMap((span) => span.match(/[A-Za-z_][\w-]*/g) ?? []));
    const missing = [...keys].filter((k) => !words.has(k));
    expect(missing).toEqual([]);
  });
});
