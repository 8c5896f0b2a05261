// Located scenario errors and the translation of zod issues into "expected ..., got ..." text.
import type { z } from 'zod';
import { showValue } from './units.js';

export type PathSeg = string | number;

export interface ScenarioIssue {
  /** The scenario file, or "--set" / "--duration" for command-line overrides. */
  file: string;
  /** 1-based; 0 when the value came from the command line. */
  line: number;
  column: number;
  /** "links[0].bandwidth" for file values; the override path as written for --set. */
  path: string;
  message: string;
}

export class ScenarioError extends Error {
  constructor(readonly issues: ScenarioIssue[]) {
    super(formatScenarioErrors(issues));
    this.name = 'ScenarioError';
  }
}

export function formatIssue(i: ScenarioIssue): string {
  const where = i.line > 0 ? `${i.file}:${i.line}:${i.column}` : i.file;
  return i.path ? `${where} ${i.path}: ${i.message}` : `${where}: ${i.message}`;
}

/** One line per issue, e.g. `scenarios/x.yaml:12:7 links[0].bandwidth: expected a bandwidth like "100Mbps", got "fast"`. */
export function formatScenarioErrors(e: ScenarioError | ScenarioIssue[]): string {
  const issues = Array.isArray(e) ? e : e.issues;
  return issues.map(formatIssue).join('\n');
}

export function formatPath(path: readonly PathSeg[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s;
}

/** An issue before it has a location: `atKey` puts it on the mapping key rather than the value. */
export interface PathIssue {
  path: PathSeg[];
  message: string;
  atKey?: boolean;
}

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

/** ' (did you mean "bandwidth"?)' when known keys are close enough to be a typo (or a prefix), else ''. */
export function suggest(word: string, known: Iterable<string>): string {
  const w = word.toLowerCase();
  let best: string[] = [];
  let bestD = Infinity;
  for (const k of new Set(known)) {
    const d = editDistance(w, k.toLowerCase());
    if (d < bestD) [best, bestD] = [[k], d];
    else if (d === bestD) best.push(k);
  }
  if (bestD <= Math.max(2, Math.floor(word.length / 3))) return ` (did you mean ${best.map((k) => `"${k}"`).join(' or ')}?)`;
  const prefixed = [...new Set(known)].filter((k) => w.length >= 3 && k.toLowerCase().startsWith(w));
  return prefixed.length === 1 ? ` (did you mean "${prefixed[0]}"?)` : '';
}

// ---- zod schema introspection (used for key suggestions and --set path checks) ----

type AnySchema = z.core.$ZodType;

function def(s: AnySchema): any {
  return (s as any)._zod.def;
}

/** Strip optional/nullable/default/pipe wrappers. */
export function unwrap(s: AnySchema): AnySchema {
  for (;;) {
    const d = def(s);
    if (d.type === 'optional' || d.type === 'nullable' || d.type === 'default' || d.type === 'prefault') s = d.innerType;
    else if (d.type === 'pipe') s = d.in;
    else return s;
  }
}

/** Every schema reachable from `s` by one path segment (unions fan out). */
export function childSchemas(s: AnySchema, seg: PathSeg): AnySchema[] {
  const u = unwrap(s);
  const d = def(u);
  switch (d.type) {
    case 'union':
      return d.options.flatMap((o: AnySchema) => childSchemas(o, seg));
    case 'object':
      return typeof seg === 'string' && seg in d.shape ? [d.shape[seg]] : [];
    case 'array':
      return typeof seg === 'number' ? [d.element] : [];
    case 'tuple':
      return typeof seg === 'number' && seg < d.items.length ? [d.items[seg]] : [];
    case 'record':
      return [d.valueType];
    default:
      return [];
  }
}

export function schemasAt(root: AnySchema, path: readonly PathSeg[]): AnySchema[] {
  let cur = [root];
  for (const seg of path) cur = cur.flatMap((s) => childSchemas(s, seg));
  return cur;
}

/** Keys an object at this path may have (for "did you mean"). */
export function keysAt(root: AnySchema, path: readonly PathSeg[]): string[] {
  const keys = new Set<string>();
  const visit = (s: AnySchema): void => {
    const d = def(unwrap(s));
    if (d.type === 'object') Object.keys(d.shape).forEach((k) => keys.add(k));
    else if (d.type === 'union') d.options.forEach(visit);
  };
  schemasAt(root, path).forEach(visit);
  return [...keys];
}

// ---- zod issues -> PathIssue ----

const TYPE_WORDS: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  object: 'a mapping',
  array: 'a list',
  tuple: 'a list',
  boolean: 'true or false',
  record: 'a mapping',
};

function typeMismatch(issue: z.core.$ZodIssue, input: unknown): boolean {
  if (issue.path.length > 0) return false;
  if (issue.code === 'invalid_type') return true;
  if (issue.code === 'invalid_value') return issue.values.length > 0 && typeof issue.values[0] !== typeof input;
  return false;
}

function unionIssues(issue: z.core.$ZodIssueInvalidUnion, base: PathSeg[], root: AnySchema): PathIssue[] {
  const here = [...base, ...(issue.path as PathSeg[])];
  const input = (issue as { input?: unknown }).input;
  if ((issue as { note?: string }).note === 'No matching discriminator' && (issue as { discriminator?: string }).discriminator) {
    const key = (issue as { discriminator?: string }).discriminator as string;
    const got = input && typeof input === 'object' ? (input as Record<string, unknown>)[key] : undefined;
    const options = ((issue as { options?: unknown[] }).options ?? []).join(', ');
    const path = here[here.length - 1] === key ? here : [...here, key];
    return [
      got === undefined
        ? { path: path.slice(0, -1), message: `missing required key "${key}" (one of ${options})` }
        : { path, message: `expected ${key} to be one of ${options}, got ${showValue(got)}` },
    ];
  }
  const fitting = issue.errors.filter((branch) => !branch.some((i) => typeMismatch(i, input)));
  if (fitting.length > 0) {
    const best = fitting.reduce((a, b) => (b.length < a.length ? b : a));
    return best.flatMap((i) => issueToPath(i, here, root));
  }
  if (issue.message.startsWith('expected ')) return [{ path: here, message: issue.message }];
  const custom = issue.errors.flat().find((i) => i.path.length === 0 && i.message.startsWith('expected '));
  if (custom) return [{ path: here, message: custom.message }];
  const words = issue.errors.flat().map((i) => (i.code === 'invalid_type' ? TYPE_WORDS[i.expected] ?? i.expected : i.code === 'invalid_value' ? `one of ${i.values.join(', ')}` : ''));
  return [{ path: here, message: `expected ${[...new Set(words.filter(Boolean))].join(' or ')}, got ${showValue(input)}` }];
}

/** Translate one zod issue (possibly a union with nested branches) into located-path issues. */
export function issueToPath(issue: z.core.$ZodIssue, base: PathSeg[], root: AnySchema): PathIssue[] {
  const path = [...base, ...(issue.path as PathSeg[])];
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_union':
      return unionIssues(issue, base, root);
    case 'unrecognized_keys':
      return issue.keys.map((k) => ({
        path: [...path, k],
        atKey: true,
        message: `unknown key "${k}"${suggest(k, keysAt(root, path))}`,
      }));
    case 'invalid_type': {
      if (input === undefined && path.length > 0) {
        return [{ path: path.slice(0, -1), message: `missing required key "${String(path[path.length - 1])}"` }];
      }
      if (issue.message.startsWith('expected ')) return [{ path, message: issue.message }];
      return [{ path, message: `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}, got ${showValue(input)}` }];
    }
    case 'invalid_value':
      if (issue.message.startsWith('expected ')) return [{ path, message: issue.message }];
      return [
        {
          path,
          message:
            issue.values.length === 1
              ? `expected ${showValue(issue.values[0])}, got ${showValue(input)}`
              : `expected one of ${issue.values.join(', ')}, got ${showValue(input)}`,
        },
      ];
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum;
      const incl = issue.inclusive !== false;
      if (issue.origin === 'array') {
        const n = Number(bound);
        const exact = (issue as { exact?: boolean }).exact;
        const what = exact ? `exactly ${n}` : small ? `at least ${n}` : `at most ${n}`;
        return [{ path, message: `expected ${what} item${n === 1 ? '' : 's'}, got ${Array.isArray(input) ? input.length : showValue(input)}` }];
      }
      if (issue.origin === 'string') return [{ path, message: `expected a non-empty string, got ${showValue(input)}` }];
      const op = small ? (incl ? '>=' : '>') : incl ? '<=' : '<';
      return [{ path, message: `expected a number ${op} ${String(bound)}, got ${showValue(input)}` }];
    }
    default:
      return [{ path, message: issue.message }];
  }
}
