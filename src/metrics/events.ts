// The event log: every state change of a mechanism (pair state, consistency group formed,
// suspend, failover, snapshot ...) becomes one events row. Mechanisms call emit(); the log
// stamps the time and forwards to the sink, and counts kinds for summaries.

import type { RecordSink } from './sink.js';

export class EventLog {
  private readonly counts = new Map<string, number>();

  constructor(private readonly sink: RecordSink, private readonly clock: () => number) {}

  emit(group: string, kind: string, detail: string): void {
    const key = `${group}\u0000${kind}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.sink.event({ t_s: this.clock() / 1e6, group, kind, detail });
  }

  count(group: string, kind: string): number {
    return this.counts.get(`${group}\u0000${kind}`) ?? 0;
  }
}
