// Baseline for issue 10: the same M/M/1 as src/engine/bench.ts written as one bare loop over a
// typed-array binary heap (time, sequence, kind), with no Simulator, no handler table and no
// handles. It uses the same streams and draws, so its waits must equal the engine's exactly.

import { US_PER_UNIT, expDelayUs, mm1Streams, type Mm1Options } from '../src/engine/bench.js';

const ARRIVAL = 0;
const DEPARTURE = 1;

export function bareMm1(opts: Mm1Options): { wait_sum_us: number; events: number } {
  const { customers } = opts;
  const interarrival_us = US_PER_UNIT / opts.lambda;
  const service_us = US_PER_UNIT / opts.mu;
  const { arrivals, services } = mm1Streams(opts.seed);
  const cap = 16;
  const time = new Float64Array(cap);
  const seq = new Float64Array(cap);
  const kind = new Int32Array(cap);
  let n = 0;
  let nextSeq = 0;

  const push = (t: number, k: number): void => {
    let pos = n++;
    const s = nextSeq++;
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
  };
  const popTop = (): void => {
    const t = time[--n];
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
  };

  const ring = new Float64Array(1 << 20);
  const mask = ring.length - 1;
  let head = 0;
  let queued = 0;
  let busy = false;
  let arrived = 0;
  let waitSum = 0;
  let events = 0;
  push(expDelayUs(arrivals, interarrival_us), ARRIVAL);
  while (n > 0) {
    const now = time[0];
    const k = kind[0];
    popTop();
    events++;
    if (k === ARRIVAL) {
      if (++arrived < customers) push(now + expDelayUs(arrivals, interarrival_us), ARRIVAL);
      if (!busy) {
        busy = true;
        push(now + expDelayUs(services, service_us), DEPARTURE);
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
      push(now + expDelayUs(services, service_us), DEPARTURE);
    }
  }
  return { wait_sum_us: waitSum, events };
}
