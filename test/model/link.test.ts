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
});
