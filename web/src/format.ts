/** Sizes, rates and durations for people. Sizes are 1024-based, as the gateway's messages are. */
const UNITS = ["B", "KB", "MB", "GB", "TB"];

export function formatBytes(bytes: number): string {
  let unit = 0;
  let value = bytes;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = unit === 0 || value >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${shown} ${UNITS[unit]}`;
}

export function formatRate(bytesPerSecond: number): string {
  return bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond)}/s` : "–";
}

/** "under a second", "42 s", "3 min 5 s", "1 h 20 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return "under a second";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Time left at the current rate, or undefined while the rate is unknown. */
export function timeLeft(loaded: number, total: number, rate: number): string | undefined {
  if (rate <= 0 || loaded >= total) return undefined;
  return formatDuration((total - loaded) / rate);
}
