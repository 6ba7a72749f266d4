/** Messages kept in the live region; older ones are dropped (screen readers already spoke them). */
const KEEP = 30;

/**
 * Announces through a polite live region: each message is a new paragraph, so screen readers
 * speak every one of them, even the same text twice.
 */
export function createAnnouncer(region: HTMLElement): (text: string) => void {
  return (text) => {
    const line = document.createElement("p");
    line.textContent = text;
    region.append(line);
    while (region.childElementCount > KEEP) region.firstElementChild?.remove();
  };
}

/** Progress milestones worth announcing: 25, 50 and 75 percent (completion is announced apart). */
export class Milestones {
  private passed = 0;

  /** The highest milestone newly reached at `percent`, if any. */
  next(percent: number): number | undefined {
    const reached = Math.min(75, Math.floor(percent / 25) * 25);
    if (reached <= this.passed) return undefined;
    this.passed = reached;
    return reached;
  }
}
