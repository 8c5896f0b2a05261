// Exact unit parsing for scenario values. Decimal mantissas are parsed as rationals (BigInt) so
// "0.29KB" is exactly 290 bytes and "1.1KiB" is rejected instead of rounding to 1126 bytes.
// Integer quantities (microseconds, bytes) must come out whole; rates may be fractional.

export type UnitKind = 'duration' | 'size' | 'bandwidth' | 'byte-rate' | 'rate' | 'fraction';

const EXAMPLES: Record<UnitKind, string> = {
  duration: 'a duration like "250ms"',
  size: 'a size like "64KiB"',
  bandwidth: 'a bandwidth like "100Mbps"',
  'byte-rate': 'a byte rate like "30MB/s"',
  rate: 'a rate like "1500/s"',
  fraction: 'a fraction like "50%" or 0.5',
};

export class UnitError extends Error {
  constructor(
    readonly kind: UnitKind,
    readonly input: unknown,
    message: string,
  ) {
    super(message);
    this.name = 'UnitError';
  }
}

/** How a value appears in a message: strings quoted, everything else as YAML would show it. */
export function showValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}

export function expectedMessage(kind: UnitKind, input: unknown): string {
  return `expected ${EXAMPLES[kind]}, got ${showValue(input)}`;
}

function fail(kind: UnitKind, input: unknown): never {
  throw new UnitError(kind, input, expectedMessage(kind, input));
}

// Seconds per time unit, as [numerator, denominator] of microseconds (all integers).
const TIME_US: Record<string, bigint> = {
  us: 1n, µs: 1n, μs: 1n,
  ms: 1_000n,
  s: 1_000_000n, sec: 1_000_000n,
  m: 60_000_000n, min: 60_000_000n,
  h: 3_600_000_000n, hour: 3_600_000_000n,
  d: 86_400_000_000n, day: 86_400_000_000n,
};

const SIZE_B: Record<string, bigint> = {
  B: 1n,
  KB: 1000n, kB: 1000n, MB: 1000n ** 2n, GB: 1000n ** 3n, TB: 1000n ** 4n, PB: 1000n ** 5n,
  KiB: 1024n, MiB: 1024n ** 2n, GiB: 1024n ** 3n, TiB: 1024n ** 4n, PiB: 1024n ** 5n,
};

const BITS: Record<string, bigint> = {
  bps: 1n, Kbps: 1000n, kbps: 1000n, Mbps: 1000n ** 2n, Gbps: 1000n ** 3n, Tbps: 1000n ** 4n,
  'bit/s': 1n, 'Kbit/s': 1000n, 'kbit/s': 1000n, 'Mbit/s': 1000n ** 2n, 'Gbit/s': 1000n ** 3n, 'Tbit/s': 1000n ** 4n,
};

interface Rational {
  num: bigint;
  den: bigint;
}

const NUMBER_UNIT = /^(-?)(\d+)(?:\.(\d+))?\s?(\S.*)?$/;

/** Split "1.5Gbps" into an exact rational 3/2 and the unit "Gbps"; null when malformed. */
function splitNumberUnit(s: string): { value: Rational; unit: string } | null {
  const m = NUMBER_UNIT.exec(s.trim());
  if (!m) return null;
  const frac = m[3] ?? '';
  const den = 10n ** BigInt(frac.length);
  const num = BigInt(m[2] + frac) * (m[1] === '-' ? -1n : 1n);
  return { value: { num, den }, unit: m[4] ?? '' };
}

function toWhole(kind: UnitKind, input: unknown, r: Rational, factor: bigint, what: string): number {
  const scaled = r.num * factor;
  if (scaled % r.den !== 0n) {
    throw new UnitError(kind, input, `expected a whole number of ${what}, got ${showValue(input)}`);
  }
  const v = scaled / r.den;
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new UnitError(kind, input, `${showValue(input)} is too large (over 2^53 ${what})`);
  }
  return Number(v);
}

/** Durations: us/µs, ms, s, m/min (minutes), h, d -> integer microseconds. */
export function parseDuration_us(input: unknown): number {
  if (typeof input !== 'string') fail('duration', input);
  const p = splitNumberUnit(input);
  const factor = p ? TIME_US[p.unit] : undefined;
  if (!p || factor === undefined) fail('duration', input);
  return toWhole('duration', input, p.value, factor, 'microseconds');
}

/** Sizes: B, SI (KB = kB = 1000) and binary (KiB = 1024) prefixes -> integer bytes. */
export function parseSize_bytes(input: unknown): number {
  if (typeof input !== 'string') fail('size', input);
  const p = splitNumberUnit(input);
  const factor = p ? SIZE_B[p.unit] : undefined;
  if (!p || factor === undefined) fail('size', input);
  return toWhole('size', input, p.value, factor, 'bytes');
}

/** "30MB/s", "200GB/h", "100GB/hour" as an exact rational bytes per second; null if not that form. */
function byteRate(s: string): Rational | null {
  const p = splitNumberUnit(s);
  if (!p) return null;
  const slash = p.unit.indexOf('/');
  if (slash < 0) return null;
  const size = SIZE_B[p.unit.slice(0, slash)];
  const per = TIME_US[p.unit.slice(slash + 1)];
  if (size === undefined || per === undefined) return null;
  return { num: p.value.num * size * 1_000_000n, den: p.value.den * per };
}

function ratio(r: Rational): number {
  // Exact when the quotient is an integer; otherwise the nearest double of the true quotient.
  if (r.num % r.den === 0n) return Number(r.num / r.den);
  // 25 significant digits, then one correctly rounded decimal-to-double conversion.
  const digits = (r.num < 0n ? -r.num : r.num).toString().length - r.den.toString().length;
  const k = Math.max(0, 25 - digits);
  const q = (r.num * 10n ** BigInt(k)) / r.den;
  return Number(`${q}e-${k}`);
}

/** Bandwidth in bits per second from a bit rate ("100Mbps") or a byte rate ("30MB/s" = 240 Mbps). */
export function parseBandwidth_bps(input: unknown): number {
  if (typeof input !== 'string') fail('bandwidth', input);
  const p = splitNumberUnit(input);
  const bits = p ? BITS[p.unit] : undefined;
  if (p && bits !== undefined) return ratio({ num: p.value.num * bits, den: p.value.den });
  const br = byteRate(input);
  if (br) return ratio({ num: br.num * 8n, den: br.den });
  fail('bandwidth', input);
}

/** Byte rate in bytes per second ("30MB/s", "200GB/h", "1GiB/s"); bit rates ("8Mbps") are accepted too. */
export function parseByteRate_Bps(input: unknown): number {
  if (typeof input !== 'string') fail('byte-rate', input);
  const br = byteRate(input);
  if (br) return ratio(br);
  const p = splitNumberUnit(input);
  const bits = p ? BITS[p.unit] : undefined;
  if (p && bits !== undefined) return ratio({ num: p.value.num * bits, den: p.value.den * 8n });
  fail('byte-rate', input);
}

/** Event rates "1500/s", "90000/min", "3/h" -> events per second. */
export function parseRate_per_s(input: unknown): number {
  if (typeof input !== 'string') fail('rate', input);
  const p = splitNumberUnit(input);
  if (!p || !p.unit.startsWith('/')) fail('rate', input);
  const per = TIME_US[p.unit.slice(1)];
  if (per === undefined) fail('rate', input);
  return ratio({ num: p.value.num * 1_000_000n, den: p.value.den * per });
}

/** "50%" or a plain number 0.5 -> 0.5; must lie in 0..1. */
export function parseFraction(input: unknown): number {
  let v: number;
  if (typeof input === 'number') v = input;
  else if (typeof input === 'string' && input.trim().endsWith('%')) {
    const p = splitNumberUnit(input.trim().slice(0, -1));
    if (!p || p.unit !== '') fail('fraction', input);
    v = ratio({ num: p.value.num, den: p.value.den * 100n });
  } else fail('fraction', input);
  if (!Number.isFinite(v) || v < 0 || v > 1) {
    throw new UnitError('fraction', input, `expected a fraction between 0 and 1 (0%..100%), got ${showValue(input)}`);
  }
  return v;
}

// ---- formatting back to human units (for scenario.resolved.yaml) ----
// Each formatter picks the largest unit that represents the value exactly and parses back to
// the identical number, falling back to the base unit.

function parsesTo(parse: (s: string) => number, s: string, v: number): boolean {
  try {
    return parse(s) === v;
  } catch {
    return false; // e.g. a rounded mantissa that is no longer a whole number of bytes
  }
}

function pick(v: number, units: Array<[string, number]>, parse: (s: string) => number, zero: string): string {
  if (v === 0) return zero;
  let best: string | null = null;
  for (const [unit, factor] of units) {
    // Rounding the mantissa hides float noise (100GB/h is 27777777.777... B/s); parse() decides.
    const m = Number((v / factor).toPrecision(12));
    if (Math.abs(m) < 1) continue;
    const s = `${m}${unit}`;
    if (!s.includes('e') && parsesTo(parse, s, v) && (best === null || s.length < best.length)) best = s;
  }
  if (best !== null) return best;
  const [base, factor] = units[units.length - 1];
  const s = `${v / factor}${base}`;
  if (!s.includes('e') && parse(s) === v) return s;
  throw new Error(`cannot write ${v} exactly in ${base}`);
}

const DUR_UNITS: Array<[string, number]> = [['d', 86_400e6], ['h', 3_600e6], ['m', 60e6], ['s', 1e6], ['ms', 1e3], ['us', 1]];
const SIZE_UNITS: Array<[string, number]> = [
  ['PiB', 1024 ** 5], ['TiB', 1024 ** 4], ['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024],
  ['PB', 1e15], ['TB', 1e12], ['GB', 1e9], ['MB', 1e6], ['KB', 1e3], ['B', 1],
];
const BPS_UNITS: Array<[string, number]> = [['Tbps', 1e12], ['Gbps', 1e9], ['Mbps', 1e6], ['Kbps', 1e3], ['bps', 1]];
const BYTE_RATE_UNITS: Array<[string, number]> = [
  ['GiB/s', 1024 ** 3], ['MiB/s', 1024 ** 2], ['KiB/s', 1024],
  ['TB/s', 1e12], ['GB/s', 1e9], ['MB/s', 1e6], ['KB/s', 1e3], ['GB/h', 1e9 / 3600], ['B/s', 1],
];
const RATE_UNITS: Array<[string, number]> = [['/s', 1], ['/min', 1 / 60], ['/h', 1 / 3600]];

export const formatDuration_us = (us: number): string => pick(us, DUR_UNITS, parseDuration_us, '0s');
export const formatSize_bytes = (b: number): string => pick(b, SIZE_UNITS, parseSize_bytes, '0B');
export const formatBandwidth_bps = (bps: number): string => pick(bps, BPS_UNITS, parseBandwidth_bps, '0bps');
export const formatByteRate_Bps = (Bps: number): string => pick(Bps, BYTE_RATE_UNITS, parseByteRate_Bps, '0B/s');
export const formatRate_per_s = (r: number): string => pick(r, RATE_UNITS, parseRate_per_s, '0/s');
