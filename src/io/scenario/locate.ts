// Map a data path (["links", 0, "bandwidth"]) to the line:column of its YAML node.
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';
import type { PathSeg } from './errors.js';

function keyOf(pair: Pair): unknown {
  return isScalar(pair.key) ? pair.key.value : pair.key;
}

/** The deepest node along `path` (and the pair whose key matched last, for key positions). */
export function nodeAt(doc: Document, path: readonly PathSeg[]): { node: Node | null; pair: Pair | null; depth: number } {
  let node = doc.contents as Node | null;
  let pair: Pair | null = null;
  let depth = 0;
  for (const seg of path) {
    if (isMap(node)) {
      const p = node.items.find((it) => String(keyOf(it)) === String(seg));
      if (!p) break;
      pair = p;
      node = (p.value as Node | null) ?? (p.key as Node);
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      pair = null;
      node = node.items[seg] as Node;
    } else break;
    depth++;
  }
  return { node, pair: depth === path.length ? pair : null, depth };
}

export interface Position {
  line: number;
  column: number;
}

export function positionOf(doc: Document, lc: LineCounter, path: readonly PathSeg[], atKey = false): Position {
  const { node, pair } = nodeAt(doc, path);
  const target = atKey && pair ? (pair.key as Node) : node;
  const offset = target?.range?.[0];
  if (offset === undefined) return { line: 1, column: 1 };
  const p = lc.linePos(offset);
  return { line: p.line, column: p.col };
}
