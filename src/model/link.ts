// A full-duplex link between two sites. Each direction is a FIFO that serializes one message at
// a time at the current bandwidth and delivers it after the propagation latency. While a
// direction is down, nothing is transmitted; messages that were in flight are retransmitted
// when it comes back (a reliable, in-order transport, as replication links run over TCP/FC).
// Serialization is tracked in exact fractional microseconds; only delivery times are rounded,
// so long message trains do not drift.
//
// A message's place on the wire is known when it is queued (the FIFO is deterministic), so each
// message costs one event, its delivery; a bandwidth change or an outage re-plans the messages
// not yet on the wire (their deliveries are cancelled and scheduled again).

import type { Simulator } from '../engine/sim.js';

export type Deliver = (tag: number) => void;

export class LinkDirection {
  private readonly bytes: Float64Array;
  private readonly tags: Float64Array;
  private readonly sinks: Int32Array;
  /** capacity - 1. */
  private readonly mask: number;
  /** Planned wire start and end (exact us) and the delivery event of each planned message. */
  private readonly start_us: Float64Array;
  private readonly end_us: Float64Array;
  private readonly deliveryHandle: Float64Array;
  /**
   * Counters, not indices: [head, tail) are undelivered; [head, planned) have a place on the
   * wire and a delivery event (all of them while up, none while down); [accounted, planned)
   * have not yet been added to the busy time.
   */
  private head = 0;
  private planned = 0;
  private accounted = 0;
  private tail = 0;
  /** End of the last planned serialization (exact us). */
  private wireFree_us = 0;
  /** Serialization time of the accounted messages, and of interrupted ones (outages). */
  private busyDone_us = 0;
  private up = true;
  private readonly rxKind: number;
  private readonly deliverers: Deliver[] = [];
  bytesSent = 0;
  queuedBytes = 0;

  constructor(
    private readonly sim: Simulator,
    readonly name: string,
    public bandwidth_bps: number,
    readonly latency_us: number,
    readonly overhead_bytes: number,
    /** Bound on queued messages: a sender that queues more lacks flow control (an error). */
    private readonly capacity = 4096,
  ) {
    // A power of two: slots are counter & mask, where % was an integer division per access
    // (ToInt32 keeps a counter modulo 2^32, so & stays exact for counters past 2^31).
    if (!(capacity >= 1 && (capacity & (capacity - 1)) === 0)) throw new Error(`${name}: capacity ${capacity} is not a power of two`);
    this.mask = capacity - 1;
    this.bytes = new Float64Array(capacity);
    this.tags = new Float64Array(capacity);
    this.sinks = new Int32Array(capacity);
    this.start_us = new Float64Array(capacity);
    this.end_us = new Float64Array(capacity);
    this.deliveryHandle = new Float64Array(capacity);
    this.rxKind = sim.register(`${name}:deliver`, () => this.onDeliver());
  }

  /** Registers a receiver; the returned id is what send() takes. */
  addReceiver(deliver: Deliver): number {
    this.deliverers.push(deliver);
    return this.deliverers.length - 1;
  }

  get isUp(): boolean {
    return this.up;
  }

  /** Messages not yet delivered (queued or propagating). */
  get inFlight(): number {
    return this.tail - this.head;
  }

  /** Queues a message of payload_bytes (+ per-message overhead) for receiver `sink`. */
  send(payload_bytes: number, sink: number, tag: number): void {
    if (this.tail - this.head >= this.capacity) {
      throw new Error(`${this.name}: more than ${this.capacity} messages queued (sender lacks flow control)`);
    }
    const i = this.tail++ & this.mask;
    this.bytes[i] = payload_bytes + this.overhead_bytes;
    this.tags[i] = tag;
    this.sinks[i] = sink;
    this.queuedBytes += this.bytes[i];
    if (this.up) this.plan();
  }

  /** Serialization time of a message in exact (fractional) microseconds. */
  serialization_us(bytes: number): number {
    return (bytes * 8 * 1e6) / this.bandwidth_bps;
  }

  /** Total time the wire was busy, up to now, in microseconds. */
  busyTime_us(now: number): number {
    this.account(now);
    if (this.accounted === this.planned) return this.busyDone_us;
    const i = this.accounted & this.mask;
    return this.busyDone_us + Math.max(0, Math.min(now, this.end_us[i]) - this.start_us[i]);
  }

  /** Applies from the next message on: messages not on the wire yet are re-planned. */
  setBandwidth(bandwidth_bps: number): void {
    if (!(bandwidth_bps > 0)) throw new Error(`${this.name}: bandwidth must be > 0`);
    this.bandwidth_bps = bandwidth_bps;
    const now = this.sim.now;
    let k = this.head;
    while (k < this.planned && this.start_us[k & this.mask] <= now) k++;
    this.unplanFrom(k);
    if (this.up) this.plan();
  }

  /** Link failure: stop the wire; propagating messages return to the queue's front. */
  down(): void {
    if (!this.up) return;
    this.up = false;
    const now = this.sim.now;
    this.account(now);
    if (this.accounted < this.planned) {
      // The message on the wire was interrupted: its partial serialization was busy time.
      const i = this.accounted & this.mask;
      this.busyDone_us += Math.max(0, Math.min(now, this.end_us[i]) - this.start_us[i]);
    }
    this.unplanFrom(this.head); // retransmit from the oldest undelivered message
  }

  up_(): void {
    if (this.up) return;
    this.up = true;
    this.plan();
  }

  /** Places every unplanned message on the wire after the last planned one, and schedules its delivery. */
  private plan(): void {
    const now = this.sim.now;
    while (this.planned < this.tail) {
      const i = this.planned++ & this.mask;
      const start = Math.max(now, this.wireFree_us);
      const end = start + this.serialization_us(this.bytes[i]);
      this.start_us[i] = start;
      this.end_us[i] = end;
      this.wireFree_us = end;
      this.deliveryHandle[i] = this.sim.at(Math.max(now, Math.round(end + this.latency_us)), this.rxKind);
    }
  }

  /** Cancels the plan of messages [k, planned): their deliveries, and their place on the wire. */
  private unplanFrom(k: number): void {
    for (let j = k; j < this.planned; j++) this.sim.cancel(this.deliveryHandle[j & this.mask]);
    this.planned = k;
    if (this.accounted > k) this.accounted = k; // re-serialized messages count again
    this.wireFree_us = k > this.head ? this.end_us[(k - 1) & this.mask] : Math.min(this.wireFree_us, this.sim.now);
  }

  /** Adds the messages whose serialization ended by now to the busy time. */
  private account(now: number): void {
    while (this.accounted < this.planned) {
      const i = this.accounted & this.mask;
      if (this.end_us[i] > now) return;
      this.busyDone_us += this.end_us[i] - this.start_us[i];
      this.accounted++;
    }
  }

  private onDeliver(): void {
    this.account(this.sim.now); // before the slot can be reused
    const i = this.head++ & this.mask;
    const b = this.bytes[i];
    this.queuedBytes -= b;
    this.bytesSent += b;
    this.deliverers[this.sinks[i]](this.tags[i]);
  }
}

export class Link {
  /** a -> b */
  readonly forward: LinkDirection;
  /** b -> a */
  readonly reverse: LinkDirection;

  constructor(
    sim: Simulator,
    readonly a: string,
    readonly b: string,
    bandwidth_bps: number,
    readonly latency_us: number,
    overhead_bytes: number,
  ) {
    this.forward = new LinkDirection(sim, `link ${a}->${b}`, bandwidth_bps, latency_us, overhead_bytes);
    this.reverse = new LinkDirection(sim, `link ${b}->${a}`, bandwidth_bps, latency_us, overhead_bytes);
  }

  /** The direction that carries data from `from` to the other end. */
  from(site: string): LinkDirection {
    if (site === this.a) return this.forward;
    if (site === this.b) return this.reverse;
    throw new Error(`link ${this.a}<->${this.b} does not touch ${site}`);
  }

  get bandwidth_bps(): number {
    return this.forward.bandwidth_bps;
  }

  down(): void {
    this.forward.down();
    this.reverse.down();
  }

  up(): void {
    this.forward.up_();
    this.reverse.up_();
  }

  setBandwidth(bps: number): void {
    this.forward.setBandwidth(bps);
    this.reverse.setBandwidth(bps);
  }

  get isUp(): boolean {
    return this.forward.isUp;
  }
}
