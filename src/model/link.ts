// A full-duplex link between two sites. Each direction is a FIFO that serializes one message at
// a time at the current bandwidth and delivers it after the propagation latency. While a
// direction is down, nothing is transmitted; messages that were in flight are retransmitted
// when it comes back (a reliable, in-order transport, as replication links run over TCP/FC).
// Serialization is tracked in exact fractional microseconds; only delivery times are rounded,
// so long message trains do not drift.

import type { Simulator } from '../engine/sim.js';

export type Deliver = (tag: number) => void;

export class LinkDirection {
  private readonly bytes: Float64Array;
  private readonly tags: Float64Array;
  private readonly sinks: Int32Array;
  /** Messages [head, sent) are propagating; [sent, tail) wait for the wire. Counters, not indices. */
  private head = 0;
  private sent = 0;
  private tail = 0;
  private readonly deliveryTime: Float64Array;
  private readonly deliveryHandle: Float64Array;
  private wireFree_us = 0; // exact time the wire finishes the current message
  private txHandle = -1;
  private txStart_us = 0;
  private busyDone_us = 0; // serialization time completed before the current message
  private up = true;
  private readonly txKind: number;
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
    this.bytes = new Float64Array(capacity);
    this.tags = new Float64Array(capacity);
    this.sinks = new Int32Array(capacity);
    this.deliveryTime = new Float64Array(capacity);
    this.deliveryHandle = new Float64Array(capacity);
    this.txKind = sim.register(`${name}:tx-done`, () => this.onTxDone());
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
    const i = this.tail++ % this.capacity;
    this.bytes[i] = payload_bytes + this.overhead_bytes;
    this.tags[i] = tag;
    this.sinks[i] = sink;
    this.queuedBytes += this.bytes[i];
    if (this.txHandle < 0 && this.up) this.startTx();
  }

  /** Serialization time of a message in exact (fractional) microseconds. */
  serialization_us(bytes: number): number {
    return (bytes * 8 * 1e6) / this.bandwidth_bps;
  }

  /** Total time the wire was busy, up to now, in microseconds. */
  busyTime_us(now: number): number {
    if (this.txHandle < 0) return this.busyDone_us;
    return this.busyDone_us + Math.max(0, Math.min(now, this.wireFree_us) - this.txStart_us);
  }

  setBandwidth(bandwidth_bps: number): void {
    if (!(bandwidth_bps > 0)) throw new Error(`${this.name}: bandwidth must be > 0`);
    this.bandwidth_bps = bandwidth_bps; // applies from the next message on
  }

  /** Link failure: stop the wire; propagating messages return to the queue's front. */
  down(): void {
    if (!this.up) return;
    this.up = false;
    const now = this.sim.now;
    if (this.txHandle >= 0) {
      this.busyDone_us += Math.max(0, now - this.txStart_us);
      this.sim.cancel(this.txHandle);
      this.txHandle = -1;
    }
    for (let k = this.head; k < this.sent; k++) this.sim.cancel(this.deliveryHandle[k % this.capacity]);
    this.sent = this.head; // retransmit from the oldest undelivered message
  }

  up_(): void {
    if (this.up) return;
    this.up = true;
    if (this.sent < this.tail) this.startTx();
  }

  private startTx(): void {
    const now = this.sim.now;
    const i = this.sent % this.capacity;
    this.txStart_us = Math.max(now, this.wireFree_us);
    this.wireFree_us = this.txStart_us + this.serialization_us(this.bytes[i]);
    this.txHandle = this.sim.at(Math.max(now, Math.round(this.wireFree_us)), this.txKind);
  }

  private onTxDone(): void {
    const i = this.sent % this.capacity;
    this.txHandle = -1;
    this.busyDone_us += this.wireFree_us - this.txStart_us;
    const t = Math.round(this.wireFree_us + this.latency_us);
    this.deliveryTime[i] = t;
    this.deliveryHandle[i] = this.sim.at(Math.max(t, this.sim.now), this.rxKind);
    this.sent++;
    if (this.sent < this.tail) this.startTx();
  }

  private onDeliver(): void {
    const i = this.head++ % this.capacity;
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
