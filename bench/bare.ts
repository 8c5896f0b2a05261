// Baseline for issue 10: the same M/M/1 as src/engine/bench.ts written as one bare loop over a
// typed-array binary heap (time, sequence, kind), with no Simulator, no handler table and no
// handles. It uses the same streams and draws, so its waits must equal the engine's exactly.
//
// It is the yardstick, so it is written to be fast: the heap state lives in locals of one
// function and the sifts are module functions on plain arguments (V8 inlines them), with no
// closure over the heap (closures kept the heap size in a context slot and, when not inlined,
// boxed every time passed to them).

import { US_PER_UNIT, expDelayUs, mm1Streams, type Mm1Options } from '../src/engine/bench.js';

const ARRIVAL = 0;
const DEPARTURE = 1;
const HEAP_CAPACITY = 16; // M/M/1 has at most two pending events

/** Inserts (t, s, k) into the heap of n entries (the new one at position n). */
function siftUp(time: Float64Array, seq: Float64Array, kind: Int32Array, n: number, t: number, s: number, k: number): void {
  let pos = n;
  while (pos > 0) {
    const p = (pos - 1) >> 1;
    if (time[p] < t || (time[p] === t && seq[p] < s)) break;
    time[pos] = time[p];
    seq[pos] = seq[p];
    kind[pos] = kind[p];
    pos = p;
  }
  time[pos] = t;
  seq[pos] = s;
  kind[pos] = k;
}

/** Removes the top of a heap of n + 1 entries: its last entry (at n) goes down from the root. */
function popTop(time: Float64Array, seq: Float64Array, kind: Int32Array, n: number): void {
  const t = time[n];
  const s = seq[n];
  const k = kind[n];
  let pos = 0;
  for (;;) {
    let c = 2 * pos + 1;
    if (c >= n) break;
    if (c + 1 < n && (time[c + 1] < time[c] || (time[c + 1] === time[c] && seq[c + 1] < seq[c]))) c++;
    if (t < time[c] || (t === time[c] && s < seq[c])) break;
    time[pos] = time[c];
    seq[pos] = seq[c];
    kind[pos] = kind[c];
    pos = c;
  }
  time[pos] = t;
  seq[pos] = s;
  kind[pos] = k;
}

export function bareMm1(opts: Mm1Options): { wait_sum_us: number; events: number } {
  const { customers } = opts;
  const interarrival_us = US_PER_UNIT / opts.lambda;
  const service_us = US_PER_UNIT / opts.mu;
  const { arrivals, services } = mm1Streams(opts.seed);
  const time = new Float64Array(HEAP_CAPACITY);
  const seq = new Float64Array(HEAP_CAPACITY);
  const kind = new Int32Array(HEAP_CAPACITY);
  let n = 0;
  let nextSeq = 0;

  const ring = new Float64Array(1 << 20);
  const mask = ring.length - 1;
  let head = 0;
  let queued = 0;
  let busy = false;
  let arrived = 0;
  let waitSum = 0;
  let events = 0;
  siftUp(time, seq, kind, n++, expDelayUs(arrivals, interarrival_us), nextSeq++, ARRIVAL);
  while (n > 0) {
    const now = time[0];
    const k = kind[0];
    popTop(time, seq, kind, --n);
    events++;
    // One site for service starts (and so two draw sites in all): with three, V8's inlining
    // budget ran out and the last sift was called out of line, boxing its time argument.
    let serve = false;
    if (k === ARRIVAL) {
      if (++arrived < customers) siftUp(time, seq, kind, n++, now + expDelayUs(arrivals, interarrival_us), nextSeq++, ARRIVAL);
      if (!busy) {
        busy = serve = true;
      } else {
        if (queued === ring.length) throw new Error('bare M/M/1: queue overflow');
        ring[(head + queued++) & mask] = now;
      }
    } else if (queued === 0) {
      busy = false;
    } else {
      waitSum += now - ring[head];
      head = (head + 1) & mask;
      queued--;
      serve = true;
    }
    if (serve) siftUp(time, seq, kind, n++, now + expDelayUs(services, service_us), nextSeq++, DEPARTURE);
  }
  return { wait_sum_us: waitSum, events };
}
