/** Samples closer together than this are merged, so bursts of events do not make the rate jumpy. */
const MIN_SAMPLE_MS = 200;
/** Time constant of the exponential smoothing: about the last 3 seconds count. */
const TAU_MS = 3000;

/** A smoothed transfer rate (bytes/s): an exponential moving average over time, not over events. */
export class RateMeter {
  private rate = 0;
  private lastTime: number | undefined;
  private lastBytes = 0;
  private sampled = false;

  /** Starts measuring from `bytes` at `now` (bytes already there, such as resumed parts, do not count). */
  start(bytes: number, now: number): void {
    this.lastTime = now;
    this.lastBytes = bytes;
  }

  /** Reports the running byte count; returns the current rate. */
  update(bytes: number, now: number): number {
    if (this.lastTime === undefined) {
      this.start(bytes, now);
      return this.rate;
    }
    const dt = now - this.lastTime;
    if (dt < MIN_SAMPLE_MS) return this.rate;
    const instant = ((bytes - this.lastBytes) / dt) * 1000;
    if (this.sampled) this.rate += (1 - Math.exp(-dt / TAU_MS)) * (instant - this.rate);
    else this.rate = instant;
    this.sampled = true;
    this.lastTime = now;
    this.lastBytes = bytes;
    return this.rate;
  }

  get value(): number {
    return this.rate;
  }
}
