import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { loadScenarioFile, loadScenarioText } from '../../../src/io/scenario/load.js';
import { resolvedYaml } from '../../../src/io/scenario/resolved.js';
import {
  formatBandwidth_bps,
  formatByteRate_Bps,
  formatDuration_us,
  formatSize_bytes,
  parseBandwidth_bps,
  parseByteRate_Bps,
  parseDuration_us,
  parseSize_bytes,
} from '../../../src/io/scenario/units.js';

const GOOD = fileURLToPath(new URL('../../fixtures/good/', import.meta.url));
const SCENARIOS = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
// The fixtures and every shipped scenario.
const files = [
  ...readdirSync(GOOD).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => GOOD + f),
  ...readdirSync(SCENARIOS).filter((f) => /\.ya?ml$/.test(f)).map((f) => SCENARIOS + f),
];

describe('resolvedYaml', () => {
  it.each(files)('%s loads back to the identical Scenario', (f) => {
    const s = loadScenarioFile(f);
    const text = resolvedYaml(s, { version: '0.1.0' });
    const again = loadScenarioText(text, f);
    expect(again).toEqual(s);
    // and writing it again is byte-identical (a fixed point)
    expect(resolvedYaml(again, { version: '0.1.0' })).toBe(text);
  });

  it('records the version and the run seed, replacing the file seed', () => {
    const s = loadScenarioFile(`${GOOD}design-example.yaml`);
    const text = resolvedYaml(s, { version: '1.2.3', seed: 11 });
    expect(text.startsWith('# Resolved scenario written by repsim 1.2.3')).toBe(true);
    expect(text).toContain('\nrepsim_version: 1.2.3\n');
    expect(text).toContain('\nseed: 11\n');
    expect(loadScenarioText(text, 'r.yaml').seed).toBe(11);
  });

  it('writes defaults explicitly, in human units', () => {
    const text = resolvedYaml(loadScenarioFile(`${GOOD}minimal.yaml`), { version: '0' });
    for (const line of ['duration: 10m', 'track_size: 64KiB', 'service_time: 200us', 'bandwidth: 100Mbps', 'capacity: 20GiB', 'apply_rate: 400MB/s', 'candidates: [remote1]', 'retention: 1d', 'pfus_watch: 1m']) {
      expect(text).toContain(line);
    }
  });

  it('byte rates from GB/h survive exactly', () => {
    const text = resolvedYaml(loadScenarioFile(`${GOOD}every-mechanism.yaml`), { version: '0' });
    expect(text).toContain('write_rate: 100GB/h');
  });
});

describe('unit formatters round-trip any value (property)', () => {
  it('durations and sizes (integers)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 52 }), (n) => parseDuration_us(formatDuration_us(n)) === n && parseSize_bytes(formatSize_bytes(n)) === n));
  });
  it('bandwidths and byte rates (doubles)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e15, noNaN: true }), (v) => parseBandwidth_bps(formatBandwidth_bps(v)) === v && parseByteRate_Bps(formatByteRate_Bps(v)) === v),
    );
  });
});
