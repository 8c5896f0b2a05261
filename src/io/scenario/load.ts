// Scenario loading: YAML (and JSON, which is YAML) -> --set overrides -> zod shape check ->
// defaults, units and cross-reference checks -> resolved Scenario. Every problem is reported
// with file:line:column and the offending path, all at once, as a ScenarioError.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { isMap, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { Scenario } from '../../scenario/types.js';
import { convertScenario } from './convert.js';
import { formatPath, issueToPath, ScenarioError, type PathIssue, type PathSeg, type ScenarioIssue } from './errors.js';
import { positionOf } from './locate.js';
import { applyOverrides, type AppliedOverride } from './overrides.js';
import { ScenarioSchema } from './schema.js';

export interface LoadOptions {
  /** "path=value" overrides, applied in order (later ones win). */
  set?: readonly string[];
  /** Replaces the scenario's seed. */
  seed?: number;
  /** Replaces the scenario's duration (a duration string such as "10m"). */
  duration?: string;
  /** Require trace files to exist (relative to the scenario file); loadScenarioFile turns it on. */
  checkFiles?: boolean;
}

function missingTraceFiles(s: Scenario, fileName: string): PathIssue[] {
  return s.workloads.flatMap((w, i) => {
    if (w.arrivals.kind !== 'trace') return [];
    const file = resolve(dirname(fileName), w.arrivals.file);
    return existsSync(file) ? [] : [{ path: ['workloads', i, 'arrivals', 'file'], message: `trace file not found: ${file}` }];
  });
}

function locate(doc: Document, lc: LineCounter, file: string, overrides: AppliedOverride[], issues: PathIssue[]): ScenarioIssue[] {
  return issues.map((i) => {
    const ov = overrides
      .filter((o) => o.segs.length <= i.path.length && o.segs.every((s, k) => String(s) === String(i.path[k])))
      .sort((a, b) => b.segs.length - a.segs.length)[0];
    if (ov) {
      const rest = i.path.slice(ov.segs.length).map(String);
      return { file: ov.source, line: 0, column: 0, path: [ov.shown, ...rest].filter(Boolean).join('.'), message: i.message };
    }
    const pos = positionOf(doc, lc, i.path, i.atKey);
    return { file, line: pos.line, column: pos.column, path: formatPath(i.path), message: i.message };
  });
}

/** Drop 'missing required key "x"' when the same mapping has an unknown key that suggests "x". */
function withoutTypoEchoes(issues: PathIssue[]): PathIssue[] {
  const suggested = new Set(
    issues.flatMap((i) => {
      const m = /did you mean "([^"]+)"/.exec(i.message);
      return i.atKey && m ? [`${formatPath(i.path.slice(0, -1))}|${m[1]}`] : [];
    }),
  );
  return issues.filter((i) => {
    const m = /^missing required key "([^"]+)"$/.exec(i.message);
    return !(m && suggested.has(`${formatPath(i.path)}|${m[1]}`));
  });
}

function sorted(issues: ScenarioIssue[]): ScenarioIssue[] {
  const seen = new Set<string>();
  return issues
    .filter((i) => {
      const k = `${i.file}|${i.line}|${i.column}|${i.path}|${i.message}`;
      return !seen.has(k) && seen.add(k) !== undefined;
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

function unresolvedAliases(doc: Document, lc: LineCounter, file: string): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) !== undefined) return;
      const p = lc.linePos(node.range?.[0] ?? 0);
      out.push({ file, line: p.line, column: p.col, path: '', message: `Aliased anchor not found: ${node.source}` });
    },
  });
  return out;
}

function syntaxIssues(doc: Document, lc: LineCounter, file: string): ScenarioIssue[] {
  return doc.errors.map((e) => {
    const p = lc.linePos(e.pos[0]);
    return { file, line: p.line, column: p.col, path: '', message: e.message.split('\n')[0] };
  });
}

/** Load a scenario from text; `fileName` is used in messages and as the default name. */
export function loadScenarioText(text: string, fileName: string, opts: LoadOptions = {}): Scenario {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const syntax = syntaxIssues(doc, lc, fileName);
  if (syntax.length > 0) throw new ScenarioError(syntax);
  if (!isMap(doc.contents)) {
    throw new ScenarioError([{ file: fileName, line: 1, column: 1, path: '', message: 'expected a mapping of scenario keys (name, duration, sites, volumes, ...)' }]);
  }
  const sets = (opts.set ?? []).map((text) => ({ text, source: '--set' }));
  if (opts.duration !== undefined) sets.push({ text: `duration=${JSON.stringify(opts.duration)}`, source: '--duration' });
  const { applied, issues: setIssues } = applyOverrides(doc, ScenarioSchema, sets);
  if (setIssues.length > 0) throw new ScenarioError(setIssues);
  const aliases = unresolvedAliases(doc, lc, fileName);
  if (aliases.length > 0) throw new ScenarioError(aliases);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    throw new ScenarioError([{ file: fileName, line: 1, column: 1, path: '', message: (e as Error).message }]);
  }
  const parsed = ScenarioSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const paths = withoutTypoEchoes(parsed.error.issues.flatMap((i) => issueToPath(i, [], ScenarioSchema)));
    throw new ScenarioError(sorted(locate(doc, lc, fileName, applied, paths)));
  }
  const defaultName = basename(fileName, extname(fileName));
  const { scenario, issues } = convertScenario(parsed.data, defaultName, fileName);
  if (opts.checkFiles) issues.push(...missingTraceFiles(scenario, fileName));
  if (issues.length > 0) throw new ScenarioError(sorted(locate(doc, lc, fileName, applied, issues)));
  if (opts.seed !== undefined) {
    if (!Number.isSafeInteger(opts.seed) || opts.seed < 0) {
      throw new ScenarioError([{ file: '--seed', line: 0, column: 0, path: '', message: `expected a non-negative integer, got ${opts.seed}` }]);
    }
    scenario.seed = opts.seed;
  }
  return scenario;
}

/** Load a scenario file (YAML or JSON). Throws ScenarioError for every kind of bad input. */
export function loadScenarioFile(path: string, opts: LoadOptions = {}): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code ?? String(e)})`;
    throw new ScenarioError([{ file: path, line: 0, column: 0, path: '', message: why }]);
  }
  return loadScenarioText(text, path, { checkFiles: true, ...opts });
}

export type { PathSeg };
