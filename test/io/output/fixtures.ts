// Synthetic results for the output tests: deterministic rows and a two-group summary.
import type { EventRow, GroupSummary, Summary, TimeseriesRow } from '../../../src/metrics/records.js';

/** `samples` rows per group; RPO is a sawtooth with a known maximum; groups 'sales' and 'payroll'. */
export function syntheticRows(samples: number, groups = ['sales', 'payroll']): TimeseriesRow[] {
  const rows: TimeseriesRow[] = [];
  for (let i = 0; i < samples; i++) {
    groups.forEach((group, gi) => {
      rows.push({
        t_s: i * 0.5,
        group,
        rpo_s: ((i * 7 + gi * 3) % 61) / 4 + (i === Math.floor(samples * 0.6) ? 100 + gi : 0),
        backlog_bytes: (i % 97) * 65536,
        primary_journal_bytes: (i % 53) * 1048576,
        secondary_journal_bytes: (i % 31) * 524288,
        oos_tracks: i % 17,
        link_utilization: (i % 11) / 10,
        pair_state: i < samples / 3 ? 'PAIR' : i < samples / 2 ? 'PSUS' : 'PAIR',
      });
    });
  }
  return rows;
}

export function syntheticEvents(samples: number): EventRow[] {
  const t1 = (samples / 3) * 0.5;
  const t2 = (samples / 2) * 0.5;
  return [
    { t_s: 0, group: 'sales', kind: 'pair_state', detail: 'SMPL->PAIR' },
    { t_s: 0, group: 'payroll', kind: 'pair_state', detail: 'SMPL->PAIR' },
    { t_s: t1, group: 'sales', kind: 'link_down', detail: 'main-remote1 down for 300 s' },
    { t_s: t1, group: 'sales', kind: 'pair_state', detail: 'PAIR->PSUS journal full' },
    { t_s: t2, group: 'sales', kind: 'pair_state', detail: 'PSUS->PAIR resync' },
    { t_s: t2, group: 'payroll', kind: 'snapshot', detail: 'gen=1 "quoted" <tag> & ünïcode' },
  ];
}

function group(name: string, over: Partial<GroupSummary>): GroupSummary {
  return {
    group: name,
    mode: 'journal',
    transfer: 'pull',
    target_site: 'remote1',
    selection_reason: 'first candidate with headroom',
    volumes: 2,
    writes: 123456,
    bytes_written: 2_000_000_000,
    bytes_sent: 1_950_000_000,
    rpo_max_s: 100.5,
    rpo_p99_s: 15,
    rpo_mean_s: 7.25,
    journal_peak_bytes: 52 * 1048576,
    secondary_journal_peak_bytes: 30 * 524288,
    suspended_s: 12.5,
    host_latency_p50_us: 210,
    host_latency_p99_us: 480,
    host_latency_p999_us: 900,
    host_latency_max_us: 1500,
    consistency_violations: 0,
    recovery_points: 42,
    data_loss_writes: null,
    data_loss_bytes: null,
    rto_s: null,
    extra: {},
    ...over,
  };
}

export function syntheticSummary(): Summary {
  return {
    run: {
      name: 'synthetic',
      seed: 7,
      version: '0.1.0',
      duration_s: 3600,
      events: 999,
      writes: 246912,
      bytes_written: 4_000_000_000,
      objectives_met: false,
      objective_failures: ['payroll: rpo_p99_s 31.5 > 30'],
    },
    groups: [
      group('sales', { extra: { journal_full_events: 3, policy: 'suspend' } }),
      group('payroll', {
        mode: 'oos-bitmap',
        transfer: null,
        target_site: 'remote2',
        rpo_p99_s: 31.5,
        consistency_violations: 2,
        data_loss_writes: 17,
        data_loss_bytes: 17 * 16384,
        rto_s: 42.125,
        extra: { cg_formed: 118, cg_failed: 1 },
      }),
    ],
  };
}
