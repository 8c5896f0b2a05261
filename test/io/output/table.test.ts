import { describe, expect, it } from 'vitest';
import { formatSummaryTable } from '../../../src/io/output/table.js';
import { syntheticSummary } from './fixtures.js';

describe('formatSummaryTable', () => {
  const text = formatSummaryTable(syntheticSummary());
  const lines = text.split('\n');

  it('prints one aligned row per group under a header and a rule', () => {
    expect(lines[0]).toMatch(/^group\s+mode\s+target\s+writes\s+MB written\s+MB sent\s+RPO p99 s\s+RPO max s\s+jnl peak MB\s+susp s\s+host p99 us\s+viol\s+loss wr\s+loss MB\s+RTO s$/);
    expect(lines[1]).toMatch(/^[- ]+$/);
    // Right-aligned numeric columns end at the same character in every row.
    const end = lines[0].length;
    expect(lines[1].length).toBe(end);
    expect(lines[2].length).toBe(end);
    expect(lines[3].length).toBe(end);
  });

  it('shows the figures in the stated units', () => {
    const sales = lines[2].trim().split(/\s{2,}/);
    expect(sales).toEqual(['sales', 'journal/pull', 'remote1', '123456', '2000.0', '1950.0', '15.000', '100.500', '54.5', '12.5', '480', '0', '-', '-', '-']);
    const payroll = lines[3].trim().split(/\s{2,}/);
    expect(payroll.slice(0, 3)).toEqual(['payroll', 'oos-bitmap', 'remote2']);
    expect(payroll.slice(-5)).toEqual(['480', '2', '17', '0.279', '42.125']);
  });

  it('ends with the run line and the objective verdict', () => {
    expect(lines[lines.length - 1]).toBe('synthetic seed 7: 3600 s simulated, 246912 writes; objectives: MISSED (payroll: rpo_p99_s 31.5 > 30)');
  });
});
