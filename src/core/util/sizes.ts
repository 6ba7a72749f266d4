import { UpgateError } from "../errors.js";

/**
 * Byte sizes for configs and messages. Every unit is 1024-based: "KB" and "KiB" both mean 1024
 * bytes, "MB" and "MiB" both 1024², and so on up to TB/TiB. That is what people mean when they
 * write "10MB" for an upload limit, and it makes "5 MB" match S3's 5 MiB part minimum.
 */

const UNIT_POWERS: Readonly<Record<string, number>> = {
  "": 0,
  b: 0,
  byte: 0,
  bytes: 0,
  kb: 1,
  kib: 1,
  mb: 2,
  mib: 2,
  gb: 3,
  gib: 3,
  tb: 4,
  tib: 4,
};

const UNIT_NAMES = ["B", "KB", "MB", "GB", "TB"] as const;
const SIZE_PATTERN = /^([+-]?)(\d+)(?:\.(\d+))?\s*([a-z]*)$/i;

function invalid(value: unknown, why: string): UpgateError {
  const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  return new UpgateError("CONFIG_INVALID", `invalid size ${shown}: ${why}`);
}

/**
 * Parses a size in bytes: a number (bytes), or a string such as "10MB", "1.5 GB", "512KiB",
 * "100 B" or "1gb" (units are case-insensitive and 1024-based). A fraction of a larger unit is
 * rounded down to a whole byte ("0.1 KB" is 102 bytes); a fraction of a byte is an error.
 * Throws UpgateError CONFIG_INVALID for anything else.
 */
export function parseSize(value: number | string): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw invalid(value, "not a finite number");
    if (value < 0) throw invalid(value, "a size cannot be negative");
    if (!Number.isInteger(value)) throw invalid(value, "a size in bytes must be a whole number");
    if (!Number.isSafeInteger(value)) throw invalid(value, "too large");
    return value;
  }
  if (typeof value !== "string") {
    throw invalid(value, 'expected a number of bytes or a string like "10MB"');
  }
  const text = value.trim();
  if (text.length > 64) throw invalid(`${text.slice(0, 64)}…`, "too long to be a size");
  const match = SIZE_PATTERN.exec(text);
  if (!match) throw invalid(value, 'expected a number of bytes or a string like "10MB" or "1.5 GB"');
  const [, sign, whole, fraction = "", unit = ""] = match;
  const lower = unit.toLowerCase();
  const power = Object.hasOwn(UNIT_POWERS, lower) ? UNIT_POWERS[lower] : undefined;
  if (power === undefined) {
    throw invalid(value, `unknown unit "${unit}" (use B, KB, MB, GB or TB; all are 1024-based)`);
  }
  if (sign === "-" && /[1-9]/.test(whole! + fraction)) throw invalid(value, "a size cannot be negative");
  // Exact arithmetic: whole.fraction × 1024^power, rounded down to a byte.
  const scale = 10n ** BigInt(fraction.length);
  const scaled = (BigInt(whole!) * scale + BigInt(fraction || "0")) * 1024n ** BigInt(power);
  if (power === 0 && scaled % scale !== 0n) throw invalid(value, "a size in bytes must be a whole number");
  const bytes = scaled / scale;
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid(value, "too large");
  return Number(bytes);
}

/**
 * A size for people: "3 B", "900 KB", "12 MB", "1.5 GB". 1024-based like parseSize, at most one
 * decimal, no trailing ".0". parseSize reads the result back to the same display value.
 */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes)) return `${bytes} B`;
  if (bytes < 0) return `-${formatSize(-bytes)}`;
  let unit = 0;
  while (unit < UNIT_NAMES.length - 1 && bytes >= 1024 ** (unit + 1)) unit++;
  let shown = Math.round((bytes / 1024 ** unit) * 10) / 10;
  // 1023.96 KB rounds to 1024 KB: say 1 MB instead.
  if (shown >= 1024 && unit < UNIT_NAMES.length - 1) {
    unit++;
    shown = Math.round((bytes / 1024 ** unit) * 10) / 10;
  }
  // Just under 2^53 bytes, rounding up ("8192 TB") would name a size parseSize refuses: round down.
  if (shown * 1024 ** unit > Number.MAX_SAFE_INTEGER) shown = Math.floor((bytes / 1024 ** unit) * 10) / 10;
  return `${shown} ${UNIT_NAMES[unit]}`;
}
