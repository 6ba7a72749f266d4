/**
 * Outcome counters: targets note which way each input went ("round-trip", "refused:BadDigest"...),
 * so a run can show that the deep paths were reached, not only that nothing crashed.
 */
const counts = new Map<string, number>();

export function observe(label: string): void {
  counts.set(label, (counts.get(label) ?? 0) + 1);
}

/** The counts since the last call, sorted by label; the counters start again from zero. */
export function takeObservations(): Record<string, number> {
  const out = Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : 1)));
  counts.clear();
  return out;
}
