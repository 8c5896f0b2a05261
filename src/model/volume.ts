// Volumes of a site's storage system (seed 000 FIG 5): name, site, size, track size (the unit
// of every bitmap) and role (data, journal, backup). Per-track state lives with the mechanisms
// that need it, in typed arrays sized by `tracks`: one bit per track in OOS / differential /
// pending bitmaps, one Uint32 version per track for images (16 M tracks of a 1 TiB volume at
// 64 KiB: 2 MiB of bitmap, 64 MiB of versions).

import type { VolumeRole, VolumeSpec } from '../scenario/types.js';

export class Volume {
  readonly tracks: number;
  /** 1 / track size when that is exact (a power of two): trackOf multiplies instead of dividing. */
  private readonly perTrack: number;

  constructor(
    readonly index: number,
    readonly name: string,
    readonly site: string,
    readonly size_bytes: number,
    readonly track_size_bytes: number,
    readonly role: VolumeRole,
    readonly declared_write_rate_bytes_per_s: number,
  ) {
    if (track_size_bytes <= 0 || size_bytes < track_size_bytes) {
      throw new Error(`volume ${name}: track size ${track_size_bytes} must be in 1..size (${size_bytes})`);
    }
    this.tracks = Math.ceil(size_bytes / track_size_bytes);
    const pow2 = Number.isInteger(Math.log2(track_size_bytes)) && 2 ** Math.log2(track_size_bytes) === track_size_bytes;
    this.perTrack = pow2 ? 1 / track_size_bytes : 0;
  }

  static fromSpec(index: number, spec: VolumeSpec): Volume {
    return new Volume(index, spec.name, spec.site, spec.size_bytes, spec.track_size_bytes, spec.role,
      spec.write_rate_bytes_per_s);
  }

  trackOf(offset_bytes: number): number {
    // x * 2^-k is exactly x / 2^k, so both branches give the same track.
    return this.perTrack !== 0 ? Math.floor(offset_bytes * this.perTrack) : Math.floor(offset_bytes / this.track_size_bytes);
  }

  /** Number of tracks that [offset, offset+length) touches. */
  tracksSpanned(offset_bytes: number, length_bytes: number): number {
    return this.trackOf(offset_bytes + length_bytes - 1) - this.trackOf(offset_bytes) + 1;
  }
}
