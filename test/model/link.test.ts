import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/sim.js';
import { Link } from '../../src/model/link.js';

const MiB = 1024 * 1024;

function setup(bw = 100e6, latency_us = 20_000, overhead = 0) {
  const sim = new Simulator();
  const link = new Link(sim, 'main', 'remote1', bw, latency_us, overhead);
  const arrivals: Array<[number, number]> = [];
  const rx = link.forward.addReceiver((tag) => arrivals.push([tag, sim.now]));
  return { sim, link, arrivals, rx };
}

describe('link', () => {
  it('delivers 1 MiB over 100 Mbps with 20 ms latency at 20 ms + 83.886 ms, to the microsecond', () => {
    const { sim, link, arrivals, rx } = setup();
    link.forward.send(MiB, rx, 1);
    sim.run();
    // 8,388,608 bits / 100,000,000 bit/s = 83,886.08 us of serialization.
    expect(arrivals).toEqual([[1, 20_000 + 83_886]]);
  });

  it('queues back-to-back messages behind each other (FIFO serialization)', () => {
    const { sim, link, arrivals, rx } = setup();
    link.forward.send(MiB, rx, 1);
    link.forward.send(MiB, rx, 2);
    sim.run();
    expect(arrivals).toEqual([[1, 103_886], [2, Math.round(2 * 83_886.08 + 20_000)]]);
    expect(link.forward.bytesSent).toBe(2 * MiB);
    expect(link.forward.busyTime_us(sim.now)).toBeCloseTo(2 * 83_886.08, 6);
  });

  it('adds per-message overhead bytes to the serialization', () => {
    const { sim, link, arrivals, rx } = setup(8e6, 1000, 1000); // 1 byte per microsecond
    link.forward.send(9000, rx, 7);
    sim.run();
    expect(arrivals).toEqual([[7, 10_000 + 1000]]);
  });

  it('is full duplex: the reverse direction does not wait for the forward one', () => {
    const { sim, link, arrivals, rx } = setup();
    const back: number[] = [];
    const rrx = link.reverse.addReceiver(() => back.push(sim.now));
    link.forward.send(MiB, rx, 1);
    link.reverse.send(1000, rrx, 0);
    sim.run();
    expect(back).toEqual([20_000 + 80]);
    expect(arrivals[0][1]).toBe(103_886);
  });

  it('holds messages while down and retransmits in order when up', () => {
    const { sim, link, arrivals, rx } = setup();
    link.forward.send(MiB, rx, 1);
    link.forward.send(MiB, rx, 2);
    const down = sim.register('down', () => link.down());
    const up = sim.register('up', () => link.up());
    sim.at(90_000, down); // message 1 is propagating (serialized at 83,886), message 2 on the wire
    sim.at(1_000_000, up);
    sim.run();
    // Both restart from the oldest undelivered one at 1 s.
    expect(arrivals).toEqual([[1, 1_000_000 + 103_886], [2, Math.round(1_000_000 + 2 * 83_886.08 + 20_000)]]);
  });

  it('applies a bandwidth change from the next message on', () => {
    const { sim, link, arrivals, rx } = setup();
    link.forward.send(MiB, rx, 1);
    link.setBandwidth(200e6);
    link.forward.send(MiB, rx, 2);
    sim.run();
    // The first message started at 100 Mbps before the change; the second at 200 Mbps.
    expect(arrivals[0][1]).toBe(103_886);
    expect(arrivals[1][1]).toBe(Math.round(83_886.08 + 41_943.04 + 20_000));
  });

  it('a long train does not drift: message k arrives at round(k x serialization + latency)', () => {
    const { sim, link, arrivals, rx } = setup(3e6, 1000); // 1000 B = 2,666.67 us, rounding up each time
    for (let k = 1; k <= 100; k++) link.forward.send(1000, rx, k);
    sim.run();
    expect(arrivals.map(([, t]) => t)).toEqual(Array.from({ length: 100 }, (_, k) => Math.round(((k + 1) * 8000 * 1e6) / 3e6 + 1000)));
  });

  it('busy time counts partial serialization cut by an outage, and the retransmission again', () => {
    const { sim, link, rx } = setup(8e6, 1000); // 1 byte per microsecond
    link.forward.send(10_000, rx, 1); // wire 0..10,000
    link.forward.send(10_000, rx, 2); // wire 10,000..20,000
    const busy: number[] = [];
    const probe = sim.register('probe', () => busy.push(link.forward.busyTime_us(sim.now)));
    sim.at(5_000, probe);
    sim.at(15_000, sim.register('down', () => link.down())); // 1 delivered at 11,000; 2 half sent
    sim.at(16_000, probe);
    sim.at(30_000, sim.register('up', () => link.up())); // 2 again: 30,000..40,000
    sim.at(35_000, probe);
    sim.run();
    expect(busy).toEqual([5_000, 15_000, 20_000]);
    expect(link.forward.busyTime_us(sim.now)).toBe(25_000);
  });

  it('a bandwidth change re-plans the queued messages, not the one on the wire', () => {
    const { sim, link, arrivals, rx } = setup(8e6, 0); // 1 byte per microsecond
    link.forward.send(10_000, rx, 1);
    link.forward.send(10_000, rx, 2);
    link.forward.send(10_000, rx, 3);
    sim.at(4_000, sim.register('bw', () => link.setBandwidth(16e6)));
    sim.run();
    expect(arrivals).toEqual([[1, 10_000], [2, 15_000], [3, 20_000]]);
    expect(link.forward.busyTime_us(sim.now)).toBe(20_000);
  });
});
