/** A watchdog: calls `onStall` when `poke` has not been called for `ms`. */
export class StallTimer {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ms: number,
    private readonly onStall: () => void,
  ) {
    this.poke();
  }

  poke(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(this.onStall, this.ms);
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
