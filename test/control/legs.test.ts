// The host gate of a leg (src/control/legs.ts): a closed gate disconnects its mode's hooks,
// and only those.
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/sim.js';
import { HOLD, HostIo, type HostWrite } from '../../src/model/host.js';
import { Volume } from '../../src/model/volume.js';
import { HostGate } from '../../src/control/legs.js';

function host() {
  const sim = new Simulator();
  const vols = [new Volume(0, 'A', 'main', 2 ** 30, 65536, 'data', 0), new Volume(1, 'B', 'main', 2 ** 30, 65536, 'data', 0)];
  return { sim, io: new HostIo(sim, vols, 100) };
}

describe('HostGate', () => {
  it('a closed gate removes its hooks from the host; another gate keeps seeing writes', () => {
    const { io } = host();
    const seenOld: number[] = [];
    const seenNew: number[] = [];
    const oldGate = new HostGate(io);
    const newGate = new HostGate(io);
    oldGate.addHook(0, { onWrite: (w: HostWrite) => (seenOld.push(w.seq), 0) });
    oldGate.addHook(1, { onWrite: (w: HostWrite) => (seenOld.push(w.seq), 0) });
    newGate.addHook(0, { onWrite: (w: HostWrite) => (seenNew.push(w.seq), 5) });
    expect(io.issue(0, 0, 4096, null)).toBe(105); // the larger extra delay of the two hooks
    oldGate.close();
    expect(oldGate.open).toBe(false);
    expect(io.issue(0, 0, 4096, null)).toBe(105);
    expect(io.issue(1, 0, 4096, null)).toBe(100);
    oldGate.addHook(0, { onWrite: () => HOLD }); // a closed gate registers nothing
    expect(io.issue(0, 0, 4096, null)).toBe(105);
    expect(seenOld).toEqual([1]);
    expect(seenNew).toEqual([1, 2, 4]);
  });

  it('release goes to the host: a held write completes with its latency', () => {
    const { sim, io } = host();
    const g = io.latencyGroup([0]);
    const gate = new HostGate(io);
    gate.addHook(0, { onWrite: () => HOLD });
    expect(io.issue(0, 0, 4096, null)).toBe(-1);
    expect(io.heldNow).toBe(1);
    sim.at(2_000, sim.register('release', () => gate.release(1, 0, 0)));
    sim.run();
    expect(io.heldNow).toBe(0);
    expect(io.latency[g].summary()).toMatchObject({ count: 1, max: 2_000 }); // issued at 0, released at 2 ms
    expect(() => gate.release(1, 0, 0)).toThrow(/not held/);
  });
});
