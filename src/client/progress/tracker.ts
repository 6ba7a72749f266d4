import { RateMeter } from "./rate.js";

export type UploadPhase = "hashing" | "uploading" | "verifying" | "done";

export interface UploadProgress {
  /** The file's name. */
  file: string;
  /** The file's position in the files given to upload()/start(). */
  index: number;
  /** The gateway's upload id, once known. */
  uploadId?: string;
  phase: UploadPhase;
  /** Bytes hashed so far (the SHA-256 is computed before any byte is sent). */
  hashed: number;
  /** Bytes stored so far: never decreases, ends exactly at total. */
  loaded: number;
  total: number;
  /** Upload rate in bytes per second, smoothed over the last few seconds. */
  rate: number;
  /** loaded / total in percent, 0 to 100. */
  percent: number;
}

/**
 * Progress of one file, as the sum over its segments (parts, or the single body). Each segment
 * counts the most bytes any of its attempts reached: a retried part adds nothing until it passes
 * what the failed attempt had sent, so `loaded` never decreases and never counts a byte twice.
 */
export class ProgressTracker {
  private readonly counted = new Map<number, number>();
  private readonly meter = new RateMeter();
  private loaded = 0;
  private hashed = 0;
  private phase: UploadPhase = "hashing";
  private uploadId: string | undefined;

  constructor(
    private readonly file: string,
    private readonly index: number,
    private readonly total: number,
    private readonly emit: ((progress: UploadProgress) => void) | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {}

  snapshot(): UploadProgress {
    const percent = this.total > 0 ? (this.loaded / this.total) * 100 : this.phase === "done" ? 100 : 0;
    const out: UploadProgress = {
      file: this.file,
      index: this.index,
      phase: this.phase,
      hashed: this.hashed,
      loaded: this.loaded,
      total: this.total,
      rate: this.meter.value,
      percent,
    };
    if (this.uploadId !== undefined) out.uploadId = this.uploadId;
    return out;
  }

  setUploadId(id: string): void {
    this.uploadId = id;
  }

  setHashed(bytes: number): void {
    this.hashed = bytes;
    this.emit?.(this.snapshot());
  }

  setPhase(phase: UploadPhase): void {
    if (phase === this.phase) return;
    this.phase = phase;
    if (phase === "uploading") this.meter.start(this.loaded, this.now());
    this.emit?.(this.snapshot());
  }

  /** Counts segment bytes already stored (resumed parts) before uploading starts: no rate impact. */
  preset(segment: number, bytes: number): void {
    this.raise(segment, bytes);
  }

  /** An attempt at `segment` has sent `bytes` of it. */
  report(segment: number, bytes: number): void {
    if (this.raise(segment, bytes)) {
      this.meter.update(this.loaded, this.now());
      this.emit?.(this.snapshot());
    }
  }

  private raise(segment: number, bytes: number): boolean {
    const before = this.counted.get(segment) ?? 0;
    if (bytes <= before) return false;
    this.counted.set(segment, bytes);
    this.loaded += bytes - before;
    return true;
  }
}
