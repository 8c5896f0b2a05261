// The modified-sectors structure of seed 003 (transfer_unit: sectors): one bit per sector of
// each track, and per track the number of modified sectors, so draining a track sends only the
// sectors written since it was last sent instead of the whole track. Only allocated when the
// mode asks for it (it is track_size / sector_size times larger than the OOS bitmap).

import { popcount32 } from '../../model/bitmap.js';

export class SectorMap {
  readonly sectorsPerTrack: number;
  private readonly words: Uint32Array;
  /** Modified sectors per track. */
  private readonly counts: Uint32Array;

  constructor(readonly tracks: number, readonly track_size_bytes: number, readonly sector_bytes: number) {
    this.sectorsPerTrack = Math.ceil(track_size_bytes / sector_bytes);
    this.words = new Uint32Array(Math.ceil((tracks * this.sectorsPerTrack) / 32));
    this.counts = new Uint32Array(tracks);
  }

  /** Marks the sectors of `track` that [offset, offset+length) touches (volume offsets). */
  mark(track: number, offset_bytes: number, length_bytes: number): void {
    const base = track * this.track_size_bytes;
    const from = Math.max(offset_bytes, base) - base;
    const to = Math.min(offset_bytes + length_bytes, base + this.track_size_bytes) - base; // exclusive
    if (to <= from) return;
    const first = track * this.sectorsPerTrack + Math.floor(from / this.sector_bytes);
    const last = track * this.sectorsPerTrack + Math.floor((to - 1) / this.sector_bytes);
    this.counts[track] += setRange(this.words, first, last + 1);
  }

  /** Modified sectors of a track. */
  count(track: number): number {
    return this.counts[track];
  }

  clearTrack(track: number): void {
    if (this.counts[track] === 0) return;
    const first = track * this.sectorsPerTrack;
    clearRange(this.words, first, first + this.sectorsPerTrack);
    this.counts[track] = 0;
  }
}

/** Sets bits [from, to); returns how many were clear. Word-level. */
function setRange(words: Uint32Array, from: number, to: number): number {
  let added = 0;
  while (from < to) {
    const w = from >>> 5;
    const lo = from & 31;
    const n = Math.min(32 - lo, to - from);
    const mask = n === 32 ? 0xffffffff : (((1 << n) - 1) << lo) >>> 0;
    const old = words[w];
    added += popcount32((mask & ~old) >>> 0);
    words[w] = (old | mask) >>> 0;
    from += n;
  }
  return added;
}

function clearRange(words: Uint32Array, from: number, to: number): void {
  while (from < to) {
    const w = from >>> 5;
    const lo = from & 31;
    const n = Math.min(32 - lo, to - from);
    const mask = n === 32 ? 0xffffffff : (((1 << n) - 1) << lo) >>> 0;
    words[w] = (words[w] & ~mask) >>> 0;
    from += n;
  }
}
