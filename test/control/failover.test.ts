// Failover and re-protection, checked against logs kept by the test itself: every write the host
// issues (seq, time, bytes) and every journal entry that reaches each target.
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/io/scenario/load.js';
import type { EventRow } from '../../src/metrics/records.js';
import { MemorySink } from '../../src/metrics/sink.js';
import { JournalMode } from '../../src/replication/journal/mode.js';
import { Run } from '../../src/run.js';

interface WriteRec {
  seq: number;
  t_us: number;
  bytes: number;
  track: number;
  /** Last track the write touches (a write may straddle a track boundary). */
  lastTrack: number;
  volume: number;
}

/** A run instrumented with the write log and, per journal leg, the log of received entries. */
class Logged {
  readonly sink: MemorySink;
  readonly run: Run;
  readonly issued: WriteRec[] = [];
  /** Per leg row name: seqs received at its target, in arrival order. */
  readonly received = new Map<string, number[]>();
  /** Snapshots taken when the first site_failed event is emitted. */
  issuedAtFailure = -1;
  receivedAtFailure = new Map<string, number>();

  constructor(yaml: string, seed = 1) {
    const self = this;
    this.sink = new (class extends MemorySink {
      override event(row: EventRow): void {
        super.event(row);
        if (row.kind === 'site_failed' && self.issuedAtFailure < 0) {
          self.issuedAtFailure = self.issued.length;
          for (const [k, v] of self.received) self.receivedAtFailure.set(k, v.length);
        }
      }
    })();
    const s = loadScenarioText(yaml, 'failover.yaml');
    this.run = new Run(s, seed, this.sink);
    this.run.host.observe({
      onIssued: (w) => this.issued.push({
        seq: w.seq, t_us: w.issued_us, bytes: w.length_bytes, track: w.track, volume: w.volume,
        lastTrack: Math.floor((w.offset_bytes + w.length_bytes - 1) / TRACK_BYTES),
      }),
    });
    for (const g of this.run.groups) {
      if (!(g.mode instanceof JournalMode)) continue;
      const log: number[] = [];
      this.received.set(g.mode.ctx.name, log);
      for (const pair of g.mode.pairs) {
        let seen = 0;
        const note = pair.noteSecondary.bind(pair);
        pair.noteSecondary = () => {
          for (; seen < pair.ring.received; seen++) log.push(pair.ring.seq(seen));
          note();
        };
      }
    }
  }

  /** Writes issued before the failure that `leg` had not received by then. */
  lostAt(leg: string): WriteRec[] {
    const got = new Set(this.received.get(leg)!.slice(0, this.receivedAtFailure.get(leg)));
    return this.issued.slice(0, this.issuedAtFailure).filter((w) => !got.has(w.seq));
  }

  receivedBefore(leg: string): Set<number> {
    return new Set(this.received.get(leg)!.slice(0, this.receivedAtFailure.get(leg)));
  }
}

const TWO_SITES = (repl: string, faults: string, duration = '3m') => `
duration: ${duration}
sample_every: 1s
sites: [main, remote1, remote2]
links:
  - { between: [main, remote1], bandwidth: 20Mbps, latency: 50ms }
  - { between: [main, remote2], bandwidth: 100Mbps, latency: 10ms }
volumes:
  - { name: V1, site: main, size: 512MiB }
  - { name: V2, site: main, size: 512MiB }
apps:
  - { id: 1, name: DB, volumes: [V1, V2] }
workloads:
  # about 2.9 MB/s: more than the 20 Mbps link carries, so the journal lags behind
  - { app: DB, rate: 350/s, arrivals: poisson, size: 8KiB, address: { dist: uniform } }
replication:
${repl}
faults:
${faults}
`;

const TRACK_BYTES = 65536;
const sum = (ws: WriteRec[]) => ws.reduce((a, w) => a + w.bytes, 0);

describe('primary failure', () => {
  it('journal mode loses exactly the writes its target had not received at the failure', () => {
    const l = new Logged(TWO_SITES(
      '  - { group: DB, mode: journal, transfer: push, to: remote1, journal: { capacity: 1GiB } }',
      '  - { at: 100s, site: main, fails: true }'));
    const g = l.run.run().groups[0];
    const lost = l.lostAt('DB');
    expect(lost.length).toBeGreaterThan(100); // the link lags: a real backlog is lost
    expect(lost.length).toBeLessThan(l.issuedAtFailure);
    expect(g.data_loss_writes).toBe(lost.length);
    expect(g.data_loss_bytes).toBe(sum(lost));
    // What was lost is the newest writes: every received write is older than every lost one.
    const got = l.receivedBefore('DB');
    expect(Math.max(...got)).toBeLessThan(Math.min(...lost.map((w) => w.seq)));
    // No write is issued after the failure.
    expect(l.issued.length).toBe(l.issuedAtFailure);
  });

  it('RTO is the apply time of everything received but not applied, plus the promotion delay', () => {
    // Apply never runs before the failure (restore_every 1h): all received data remains to apply.
    const l = new Logged(TWO_SITES(
      '  - { group: DB, mode: journal, transfer: push, to: remote1, restore_every: 1h, apply_rate: 10MB/s, promotion_delay: 5s, journal: { capacity: 1GiB } }',
      '  - { at: 100s, site: main, fails: true }'));
    const g = l.run.run().groups[0];
    const got = l.receivedBefore('DB');
    const pending = sum(l.issued.filter((w) => got.has(w.seq)));
    expect(pending).toBeGreaterThan(50e6);
    expect(g.rto_s).toBe((Math.ceil((pending * 1e6) / 10e6) + 5e6) / 1e6);
    const fo = l.sink.events.find((e) => e.kind === 'failover')!;
    expect(fo.t_s).toBe(100);
    expect(fo.detail).toMatch(/^remote1 promoted: lost \d+ writes/);
  });

  it('without a third leg the next candidate becomes the new secondary after promotion, by full copy', () => {
    const l = new Logged(TWO_SITES(
      '  - { group: DB, mode: journal, transfer: push, to: remote2, candidates: [remote2, remote1], promotion_delay: 5s }',
      '  - { at: 60s, site: main, fails: true }',
    ).replace('links:\n', 'links:\n  - { between: [remote2, remote1], bandwidth: 1Gbps, latency: 1ms }\n'));
    const g = l.run.run().groups[0];
    const rep = l.sink.events.find((e) => e.kind === 'reprotect')!;
    expect(rep.t_s).toBeCloseTo(60 + g.rto_s!, 6);
    expect(rep.detail).toMatch(/^remote2->remote1 .*full initial copy/);
    expect(g.target_site).toBe('remote1');
    // A full copy of 1 GiB in 64 KiB tracks, nothing else (no writes after the failure).
    expect(g.extra.reprotect_bytes).toBe(1024 * 1024 * 1024);
    expect(g.extra.unprotected_s).toBeCloseTo(g.rto_s! + (g.extra.reprotect_s as number), 6);
  });

  it('a sync mirror loses no acknowledged write; only writes still unacknowledged are missing', () => {
    const l = new Logged(TWO_SITES(
      '  - { group: DB, mode: sync, to: remote2 }',
      '  - { at: 100s, site: main, fails: true }'));
    // Acknowledgements: the sync mode holds each write and releases it when the secondary acks.
    const host = l.run.host;
    const release = host.release.bind(host);
    const acked: number[] = [];
    host.release = (seq, vol, track) => {
      acked.push(seq);
      release(seq, vol, track);
    };
    let ackedBefore = -1;
    let missingAcked = -1;
    const mode = l.run.groups[0].mode;
    const byseq = new Map<number, WriteRec>();
    l.run.events.emit = ((orig) => (group: string, kind: string, detail: string) => {
      if (kind === 'site_failed') {
        ackedBefore = acked.length;
        for (const w of l.issued) byseq.set(w.seq, w);
        missingAcked = acked.filter((q) => !mode.contains(byseq.get(q)!.volume, byseq.get(q)!.track, q)).length;
      }
      orig(group, kind, detail);
    })(l.run.events.emit.bind(l.run.events));
    const g = l.run.run().groups[0];
    expect(g.mode).toBe('sync');
    expect(ackedBefore).toBeGreaterThan(30_000);
    expect(missingAcked).toBe(0);
    const unacked = l.issuedAtFailure - ackedBefore;
    expect(g.data_loss_writes!).toBeLessThanOrEqual(unacked);
    // At most one round trip of writes (350/s, about 25 ms): issued, never acknowledged to the host.
    expect(unacked).toBeLessThan(30);
    expect(g.rto_s).toBe(30); // the default promotion delay: nothing to apply
  });
});

describe('secondary failure', () => {
  it('the next candidate forms a new pair with an initial copy; the time unprotected is reported', () => {
    const l = new Logged(TWO_SITES(
      '  - { group: DB, mode: journal, transfer: push, to: remote1, candidates: [remote1, remote2], journal: { capacity: 1GiB } }',
      '  - { at: 30s, storage: remote1, fails: true }', '4m'));
    const summary = l.run.run();
    const g = summary.groups[0];
    expect(g.target_site).toBe('remote2');
    expect(g.extra.reprotect_method).toBe('full');
    const copy_s = (1024 * 1024 * 1024 * 8) / 100e6; // 85.9 s for the tracks alone
    expect(g.extra.reprotect_s as number).toBeGreaterThan(copy_s);
    expect(g.extra.reprotect_s as number).toBeLessThan(copy_s * 1.5);
    // Formed at the failure instant: unprotected exactly as long as the copy took.
    expect(g.extra.unprotected_s).toBe(g.extra.reprotect_s);
    // The host kept writing throughout, and the new pair holds it at the end.
    expect(l.issued[l.issued.length - 1].t_us).toBeGreaterThan(239e6);
    expect(g.data_loss_writes).toBeNull();
    const states = l.sink.events.filter((e) => e.kind === 'pair_state').map((e) => `${e.t_s < 30 ? 'before' : 'after'} ${e.detail}`);
    expect(states).toContain('after DB: PAIR->PSUE (target remote1 lost)');
    expect(l.sink.rows[l.sink.rows.length - 1]).toMatchObject({ pair_state: 'PAIR' });
    expect(l.sink.rows[l.sink.rows.length - 1].rpo_s).toBeLessThan(1);
  });
});

const THREE = (reprotect: string) => `
duration: 4m
sample_every: 1s
sites: [main, remote1, remote2]
links:
  - { between: [main, remote1], bandwidth: 400Mbps, latency: 5ms }
  - { between: [main, remote2], bandwidth: 50Mbps, latency: 40ms }
  - { between: [remote1, remote2], bandwidth: 100Mbps, latency: 40ms }
volumes:
  - { name: V1, site: main, size: 1GiB }
  - { name: V2, site: main, size: 256MiB }
apps:
  - { id: 1, name: DB1, volumes: [V1], labels: { consistent-group: CTG1 } }
  - { id: 2, name: DB2, volumes: [V2], labels: { consistent-group: "CTG1, end" } }
workloads:
  - { app: DB1, rate: 500/s, arrivals: poisson, size: 8KiB, address: { dist: zipf, theta: 0.9 } }
  - { app: DB2, rate: 100/s, arrivals: poisson, size: 8KiB, address: { dist: sequential } }
replication:
  - { group: CTG1, mode: journal, transfer: pull, to: remote1, also_to: [remote2], candidates: [remote1, remote2], promotion_delay: 10s, reprotect: ${reprotect} }
faults:
  - { at: 60s, site: main, fails: true }
`;

describe('three sites (seed 002 FIG 15)', () => {
  it('delta resync copies exactly the tracks where the surviving images differ: far fewer bytes, sooner', () => {
    const d = new Logged(THREE('delta'));
    const ds = d.run.run();
    const f = new Logged(THREE('full'));
    const fs = f.run.run();
    const [dPrim, dThird] = ds.groups;
    const fThird = fs.groups[1];
    expect(dPrim.group).toBe('CTG1');
    expect(dThird.group).toBe('CTG1@remote2');
    // The promoted row carries the loss and RTO; the third site's row the re-protection.
    expect(dPrim.data_loss_writes).toBe(d.lostAt('CTG1').length);
    expect(dThird.extra.reprotect_method).toBe('delta');
    expect(fThird.extra.reprotect_method).toBe('full');
    // Independently: the writes remote1 had and remote2 had not, by track.
    const near = d.receivedBefore('CTG1');
    const far = d.receivedBefore('CTG1@remote2');
    const tracks = new Set<string>();
    for (const w of d.issued) {
      if (near.has(w.seq) === far.has(w.seq)) continue;
      for (let t = w.track; t <= w.lastTrack; t++) tracks.add(`${w.volume}:${t}`);
    }
    expect(tracks.size).toBeGreaterThan(0);
    expect(dThird.extra.reprotect_bytes).toBe(tracks.size * TRACK_BYTES);
    expect(fThird.extra.reprotect_bytes).toBe((1024 + 256) * 1024 * 1024);
    expect((dThird.extra.reprotect_bytes as number) * 50).toBeLessThan(fThird.extra.reprotect_bytes as number);
    expect(dThird.extra.reprotect_s as number).toBeLessThan((fThird.extra.reprotect_s as number) / 10);
    // The new pair runs remote1 -> remote2 and starts once remote1 is promoted.
    const rep = d.sink.events.find((e) => e.kind === 'reprotect')!;
    expect(rep.t_s).toBeCloseTo(60 + dPrim.rto_s!, 6);
    expect(rep.detail).toMatch(/^remote1->remote2 .*delta resync of \d+ tracks/);
    // The group was unprotected from the failure until the third site was in PAIR again.
    expect(dPrim.extra.unprotected_s).toBeCloseTo(dPrim.rto_s! + (dThird.extra.reprotect_s as number), 6);
    expect(fs.groups[0].extra.unprotected_s as number).toBeGreaterThan(dPrim.extra.unprotected_s as number);
  });

  it('secondary lost with a third leg: protection continues through the third site', () => {
    const yaml = THREE('delta').replace('{ at: 60s, site: main, fails: true }', '{ at: 60s, site: remote1, fails: true }');
    const l = new Logged(yaml);
    const [a, b] = l.run.run().groups;
    expect(a.extra.failover_note).toBe('protected by CTG1@remote2');
    expect(a.extra.unprotected_s).toBe(0);
    expect(b.extra.unprotected_s).toBeNull();
    expect(l.sink.events.some((e) => e.kind === 'reprotect')).toBe(false);
  });
});
