// --set path=value overrides, applied to the YAML document before validation so that the value
// goes through exactly the same checks as one written in the file.
import { isMap, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { childSchemas, keysAt, suggest, type PathSeg, type ScenarioIssue } from './errors.js';

export interface AppliedOverride {
  /** Data path the value was written to. */
  segs: PathSeg[];
  /** "--set" or "--duration": what the user typed it with. */
  source: string;
  /** The path as the user wrote it. */
  shown: string;
}

/** "replication.0.transfer" or "links[0].bandwidth" -> ["replication", 0, "transfer"]. */
export function parseOverridePath(path: string): PathSeg[] {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Check a path against the schema and the document; returns a message, or null when it is fine. */
function checkPath(doc: Document, root: z.core.$ZodType, segs: PathSeg[]): string | null {
  if (segs.length === 0) return 'expected path=value, e.g. links.0.bandwidth=200Mbps';
  let schemas = [root];
  let node = doc.contents as Node | null;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const next = schemas.flatMap((s) => childSchemas(s, seg));
    if (next.length === 0) {
      if (typeof seg === 'number') return `${segs.slice(0, i).join('.') || 'the scenario'} is not a list`;
      const known = keysAt(root, segs.slice(0, i));
      return `unknown key "${seg}"${suggest(seg, known)}`;
    }
    if (typeof seg === 'number' && !isMap(node)) {
      const len = isSeq(node) ? node.items.length : 0;
      if (seg >= len) return `${segs.slice(0, i).join('.')} has ${len} item${len === 1 ? '' : 's'}, so there is no index ${seg}`;
    }
    node = isMap(node) ? ((node.get(seg, true) as Node | undefined) ?? null) : isSeq(node) ? ((node.items[seg as number] as Node) ?? null) : null;
    schemas = next;
  }
  return null;
}

/** Apply each "path=value" to doc; returns what was applied and any problems. */
export function applyOverrides(
  doc: Document,
  root: z.core.$ZodType,
  sets: ReadonlyArray<{ text: string; source: string }>,
): { applied: AppliedOverride[]; issues: ScenarioIssue[] } {
  const applied: AppliedOverride[] = [];
  const issues: ScenarioIssue[] = [];
  for (const { text, source } of sets) {
    const eq = text.indexOf('=');
    const written = eq < 0 ? text : text.slice(0, eq).trim();
    const shown = source === '--set' ? written : '';
    const fail = (message: string): void => void issues.push({ file: source, line: 0, column: 0, path: shown, message });
    if (eq < 0) {
      fail('expected path=value, e.g. links.0.bandwidth=200Mbps');
      continue;
    }
    const segs = parseOverridePath(written);
    const problem = checkPath(doc, root, segs);
    if (problem) {
      fail(problem);
      continue;
    }
    const valueDoc = parseDocument(text.slice(eq + 1));
    if (valueDoc.errors.length > 0) {
      fail(`cannot read the value as YAML: ${valueDoc.errors[0].message.split('\n')[0]}`);
      continue;
    }
    try {
      doc.setIn(segs, doc.createNode(valueDoc.toJS()));
    } catch {
      // yaml refuses to descend into a scalar (e.g. arrivals.kind when arrivals is "poisson").
      fail(`cannot set a key inside a plain value; set the whole ${String(segs[segs.length - 2] ?? 'value')} instead, e.g. ${segs.slice(0, -1).join('.')}={${String(segs[segs.length - 1])}: ...}`);
      continue;
    }
    applied.push({ segs, source, shown });
  }
  return { applied, issues };
}
