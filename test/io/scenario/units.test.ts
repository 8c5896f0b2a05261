import { describe, expect, it } from 'vitest';
import {
  formatBandwidth_bps,
  formatByteRate_Bps,
  formatDuration_us,
  formatRate_per_s,
  formatSize_bytes,
  parseBandwidth_bps,
  parseByteRate_Bps,
  parseDuration_us,
  parseFraction,
  parseRate_per_s,
  parseSize_bytes,
  UnitError,
} from '../../../src/io/scenario/units.js';

describe('parseDuration_us', () => {
  it.each([
    ['500us', 500],
    ['500µs', 500],
    ['250ms', 250_000],
    ['10s', 10_000_000],
    ['1.5m', 90_000_000],
    ['40m', 2_400_000_000],
    ['5min', 300_000_000],
    ['2h', 7_200_000_000],
    ['1d', 86_400_000_000],
    ['30d', 2_592_000_000_000],
    ['0.001s', 1_000],
    ['0.000001s', 1],
    ['0s', 0],
    ['10 s', 10_000_000],
  ])('%s = %d us', (s, us) => expect(parseDuration_us(s)).toBe(us));

  it('rejects a bare number with the expected form', () => {
    expect(() => parseDuration_us(5)).toThrow('expected a duration like "250ms", got 5');
  });
  it.each(['5', '5 parsecs', 'fast', '', '1e3s', '.5s', '5S'])('rejects %j', (s) => {
    expect(() => parseDuration_us(s)).toThrow(UnitError);
  });
  it('rejects durations that are not whole microseconds', () => {
    expect(() => parseDuration_us('0.5us')).toThrow('expected a whole number of microseconds, got "0.5us"');
    expect(() => parseDuration_us('1.0000001s')).toThrow('whole number of microseconds');
  });
  it('parses negatives so the schema can say "expected a positive duration"', () => expect(parseDuration_us('-5s')).toBe(-5_000_000));
});

describe('parseSize_bytes', () => {
  it.each([
    ['512B', 512],
    ['8KiB', 8192],
    ['64KiB', 65_536],
    ['1MiB', 1_048_576],
    ['20GiB', 21_474_836_480],
    ['1KB', 1000],
    ['1kB', 1000],
    ['1.5GB', 1_500_000_000],
    ['0.29KB', 290],
    ['1.5KiB', 1536],
    ['2TiB', 2 * 1024 ** 4],
    ['1PB', 1e15],
  ])('%s = %d B', (s, b) => expect(parseSize_bytes(s)).toBe(b));
  it('rejects fractional bytes exactly (no float rounding)', () => {
    expect(() => parseSize_bytes('1.1KiB')).toThrow('expected a whole number of bytes, got "1.1KiB"');
    expect(() => parseSize_bytes('0.5B')).toThrow('whole number of bytes');
  });
  it.each([[8192], ['8K'], ['8 kib'], ['8Kib'], ['8Mb'], [null]])('rejects %j', (v) => {
    expect(() => parseSize_bytes(v)).toThrow(/expected a size like "64KiB", got/);
  });
});

describe('parseBandwidth_bps (bits per second)', () => {
  it.each([
    ['10bps', 10],
    ['800Kbps', 800_000],
    ['1Mbps', 1_000_000],
    ['100Mbps', 100_000_000],
    ['1.5Gbps', 1_500_000_000],
    ['10Gbit/s', 10e9],
    // byte rates are bytes x 8
    ['30MB/s', 240_000_000],
    ['1MiB/s', 8 * 1_048_576],
    ['1GiB/s', 8 * 1024 ** 3],
  ])('%s = %d bit/s', (s, bps) => expect(parseBandwidth_bps(s)).toBe(bps));
  it('100GB/h = 222.2 Mbps (seed 000 FIG 7 units)', () => {
    expect(parseBandwidth_bps('100GB/h')).toBeCloseTo((100e9 * 8) / 3600, 6);
    expect(parseBandwidth_bps('100GB/h') / 1e6).toBeCloseTo(222.222, 3);
  });
  it('rejects bare numbers and words', () => {
    expect(() => parseBandwidth_bps(100)).toThrow('expected a bandwidth like "100Mbps", got 100');
    expect(() => parseBandwidth_bps('fast')).toThrow('expected a bandwidth like "100Mbps", got "fast"');
    expect(() => parseBandwidth_bps('100MBps')).toThrow(UnitError);
  });
});

describe('parseByteRate_Bps (bytes per second)', () => {
  it.each([
    ['30MB/s', 30e6],
    ['1GiB/s', 1024 ** 3],
    ['400MB/s', 400e6],
    ['90GB/min', 1.5e9],
    ['3600B/h', 1],
    ['1GB/day', 1e9 / 86400],
    ['8Mbps', 1e6],
  ])('%s = %d B/s', (s, v) => expect(parseByteRate_Bps(s)).toBeCloseTo(v, 9));
  it('100GB/h is 100e9/3600 B/s, correctly rounded', () => expect(parseByteRate_Bps('100GB/h')).toBe(100e9 / 3600));
  it('100GB/hour (the FIG 7 spelling) is accepted', () => expect(parseByteRate_Bps('100GB/hour')).toBe(100e9 / 3600));
  it('rejects a size without a time', () => expect(() => parseByteRate_Bps('30MB')).toThrow('expected a byte rate like "30MB/s", got "30MB"'));
});

describe('parseRate_per_s', () => {
  it.each([
    ['1500/s', 1500],
    ['90000/min', 1500],
    ['3/h', 3 / 3600],
    ['0.5/s', 0.5],
    ['1/ms', 1000],
  ])('%s = %d /s', (s, v) => expect(parseRate_per_s(s)).toBeCloseTo(v, 12));
  it('rejects bare counts', () => {
    expect(() => parseRate_per_s(1500)).toThrow('expected a rate like "1500/s", got 1500');
    expect(() => parseRate_per_s('1500')).toThrow(UnitError);
    expect(() => parseRate_per_s('1500/fortnight')).toThrow(UnitError);
  });
});

describe('parseFraction', () => {
  it.each([
    ['50%', 0.5],
    [0.5, 0.5],
    ['0%', 0],
    ['100%', 1],
    ['12.5%', 0.125],
    [1, 1],
  ])('%j = %d', (v, f) => expect(parseFraction(v)).toBe(f));
  it('rejects out-of-range and malformed values', () => {
    expect(() => parseFraction('150%')).toThrow('between 0 and 1');
    expect(() => parseFraction(1.5)).toThrow('between 0 and 1');
    expect(() => parseFraction('half')).toThrow('expected a fraction like "50%" or 0.5, got "half"');
  });
});

describe('formatters write a form that parses back to the identical number', () => {
  it.each([
    [formatDuration_us, parseDuration_us, [0, 1, 1000, 7_200_000_000, 90_000_000, 5_400_000_000, 123_456_789, 86_400_000_000]],
    [formatSize_bytes, parseSize_bytes, [0, 1, 512, 8192, 1000, 1_500_000_000, 214_748_364_800, 12345]],
    [formatBandwidth_bps, parseBandwidth_bps, [1, 100e6, 1.5e9, 222_222_222.22222222, 8 * 1024 ** 3, 0.5]],
    [formatByteRate_Bps, parseByteRate_Bps, [0, 400e6, 1024 ** 3, 100e9 / 3600, 1e9 / 86400, 0.1]],
    [formatRate_per_s, parseRate_per_s, [1500, 3 / 3600, 0.5, 1 / 3]],
  ] as const)('%o', (format, parse, values) => {
    for (const v of values) expect(parse(format(v))).toBe(v);
  });
  it('prefers short human forms', () => {
    expect(formatDuration_us(7_200_000_000)).toBe('2h');
    expect(formatDuration_us(0)).toBe('0s');
    expect(formatSize_bytes(20 * 1024 ** 3)).toBe('20GiB');
    expect(formatSize_bytes(1_500_000_000)).toBe('1.5GB');
    expect(formatBandwidth_bps(100e6)).toBe('100Mbps');
    expect(formatByteRate_Bps(400e6)).toBe('400MB/s');
    expect(formatByteRate_Bps(100e9 / 3600)).toBe('100GB/h');
    expect(formatRate_per_s(1500)).toBe('1500/s');
  });
});
