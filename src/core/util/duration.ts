import { UpgateError } from "../errors.js";

/**
 * Durations for configs (URL expiry, quota periods). A plain number, or a string of digits,
 * is a number of SECONDS (like S3's X-Amz-Expires); strings take a unit: "500ms", "30s", "5m"
 * (minutes), "1h", "1d", "7d", "2 weeks", "month". A unit word alone means one of it ("day").
 * A month is 30 days. The result is in milliseconds.
 */

const SECOND = 1000;
const DAY = 86_400 * SECOND;

const UNITS: Readonly<Record<string, number>> = {
  "": SECOND,
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: SECOND,
  sec: SECOND,
  secs: SECOND,
  second: SECOND,
  seconds: SECOND,
  m: 60 * SECOND,
  min: 60 * SECOND,
  mins: 60 * SECOND,
  minute: 60 * SECOND,
  minutes: 60 * SECOND,
  h: 3600 * SECOND,
  hr: 3600 * SECOND,
  hrs: 3600 * SECOND,
  hour: 3600 * SECOND,
  hours: 3600 * SECOND,
  d: DAY,
  day: DAY,
  days: DAY,
  w: 7 * DAY,
  week: 7 * DAY,
  weeks: 7 * DAY,
  mo: 30 * DAY,
  month: 30 * DAY,
  months: 30 * DAY,
};

/** Unit words that mean "one of it" when they stand alone ("day" is one day). */
const STANDALONE = new Set(["second", "minute", "hour", "day", "week", "month"]);

const DURATION_PATTERN = /^([+-]?)(\d+(?:\.\d+)?)?\s*([a-z]*)$/i;

function invalid(value: unknown, why: string): UpgateError {
  const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  return new UpgateError("CONFIG_INVALID", `invalid duration ${shown}: ${why}`);
}

/** Parses a duration to milliseconds (rounded to a whole millisecond). See the module comment. */
export function parseDuration(value: number | string): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw invalid(value, "expected a finite number of seconds");
    if (value < 0) throw invalid(value, "a duration cannot be negative");
    return checkRange(value, Math.round(value * SECOND));
  }
  if (typeof value !== "string") {
    throw invalid(value, 'expected a number of seconds or a string like "30s", "5m", "1h" or "7d"');
  }
  const text = value.trim();
  if (text.length > 64) throw invalid(`${text.slice(0, 64)}…`, "too long to be a duration");
  const match = DURATION_PATTERN.exec(text);
  if (!match) throw invalid(value, 'expected a number of seconds or a string like "30s", "5m", "1h" or "7d"');
  const [, sign, amount, unit = ""] = match;
  const lower = unit.toLowerCase();
  const factor = Object.hasOwn(UNITS, lower) ? UNITS[lower] : undefined;
  if (factor === undefined) {
    throw invalid(value, `unknown unit "${unit}" (use ms, s, m, h, d, week or month; a month is 30 days)`);
  }
  if (amount === undefined && !STANDALONE.has(lower)) {
    throw invalid(value, unit ? `a number is needed before "${unit}", as in "30s"` : "empty");
  }
  const count = amount === undefined ? 1 : Number(amount);
  if (sign === "-" && count !== 0) throw invalid(value, "a duration cannot be negative");
  return checkRange(value, Math.round(count * factor));
}

function checkRange(value: unknown, ms: number): number {
  if (!Number.isSafeInteger(ms)) throw invalid(value, "too long");
  return ms;
}
