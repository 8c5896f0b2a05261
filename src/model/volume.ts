// Volumes of a site's storage system (seed 000 FIG 5). A data volume keeps, per track, the
// sequence number of the newest write to it (its version), compactly in a Uint32Array: 16 M
// tracks (1 TiB at 64 KiB) take 64 MiB. Versions feed the exact consistency oracle and the
// bitmaps of the replication modes.

import type { VolumeRole, VolumeSpec } from '../scenario/types.js';

/** Largest write sequence number a version array can hold. */
export const MAX_VERSION = 0xffffffff;

export class Volume {
  readonly tracks: number;
  /** 1 / track size when that is exact (a power of two): trackOf multiplies instead of dividing. */
  private readonly perTrack: number;
  private versionArray: Uint32Array | null = null;

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

  /** Per-track versions, allocated on first use (only modes and oracles that need them pay). */
  get versions(): Uint32Array {
    if (this.versionArray === null) this.versionArray = new Uint32Array(this.tracks);
    return this.versionArray;
  }

  get hasVersions(): boolean {
    return this.versionArray !== null;
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
