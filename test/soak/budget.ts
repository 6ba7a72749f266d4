/**
 * A counting semaphore over bytes: file contents are generated only when their bytes fit, so the
 * soak's memory stays bounded however many users upload large files at once. A request larger than
 * the whole budget waits until nothing else is held.
 */
export class ByteBudget {
  private used = 0;
  private readonly waiting: Array<{ bytes: number; resolve: () => void }> = [];

  constructor(readonly limit: number) {}

  take(bytes: number): Promise<void> {
    if (this.waiting.length === 0 && this.fits(bytes)) {
      this.used += bytes;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push({ bytes, resolve }));
  }

  give(bytes: number): void {
    this.used -= bytes;
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.bytes)) {
      const next = this.waiting.shift()!;
      this.used += next.bytes;
      next.resolve();
    }
  }

  get inUse(): number {
    return this.used;
  }

  private fits(bytes: number): boolean {
    return this.used === 0 || this.used + bytes <= this.limit;
  }
}
