import { UpgateError } from "../errors.js";
import { randomId } from "../util/random.js";
import { MAX_SEGMENT_LENGTH, safeSegment } from "./key-segment.js";
import { s3KeyProblem } from "./s3-key.js";

/**
 * Object keys are chosen by the server from a template; clients never pick paths. Variables:
 * {route} and {userId} (each made into one safe segment, see safeSegment), {random} (128 random
 * bits, base32), {ext} (".png" or ""), {date} (UTC "yyyy/mm/dd") and {uploadId} (a safe segment).
 */
export const DEFAULT_KEY_TEMPLATE = "{route}/{userId}/{random}{ext}";

export const KEY_VARIABLES = ["route", "userId", "random", "ext", "date", "uploadId"] as const;
export type KeyVariable = (typeof KEY_VARIABLES)[number];

export interface KeyVars {
  route: string;
  userId: string;
  /** From extensionForType: "" or a dot and 1 to 16 lower-case letters or digits. */
  ext?: string;
  /** Defaults to now. */
  date?: Date;
  /** Required when the template uses {uploadId}. */
  uploadId?: string;
  /** Defaults to randomId(128). Given (in tests), it must be 26 to 64 base32 characters. */
  random?: string;
}

type Token = { literal: string } | { variable: KeyVariable };

/** The longest each variable can render to, to prove at validation that every key fits in 1024 bytes. */
const MAX_RENDERED: Record<KeyVariable, number> = {
  route: MAX_SEGMENT_LENGTH,
  userId: MAX_SEGMENT_LENGTH,
  uploadId: MAX_SEGMENT_LENGTH,
  random: 64,
  ext: 17,
  date: 10,
};

const EXT = /^(\.[a-z0-9]{1,16})?$/;
const RANDOM = /^[a-z2-7]{26,64}$/;

function invalidTemplate(template: string, why: string): UpgateError {
  return new UpgateError("CONFIG_INVALID", `invalid key template ${JSON.stringify(template)}: ${why}`);
}

function isKeyVariable(name: string): name is KeyVariable {
  return (KEY_VARIABLES as readonly string[]).includes(name);
}

function tokenize(template: string): Token[] {
  const tokens: Token[] = [];
  const placeholder = /\{([^{}]*)\}/g;
  let last = 0;
  for (const match of template.matchAll(placeholder)) {
    const literal = template.slice(last, match.index);
    if (/[{}]/.test(literal)) throw invalidTemplate(template, 'unbalanced "{" or "}"');
    if (literal) tokens.push({ literal });
    const name = match[1]!;
    if (!isKeyVariable(name)) {
      throw invalidTemplate(
        template,
        `unknown placeholder {${name}} (use ${KEY_VARIABLES.map((v) => `{${v}}`).join(", ")})`,
      );
    }
    tokens.push({ variable: name });
    last = match.index + match[0].length;
  }
  const rest = template.slice(last);
  if (/[{}]/.test(rest)) throw invalidTemplate(template, 'unbalanced "{" or "}"');
  if (rest) tokens.push({ literal: rest });
  return tokens;
}

function render(tokens: readonly Token[], values: Record<KeyVariable, string>): string {
  let key = "";
  for (const token of tokens) key += "literal" in token ? token.literal : values[token.variable];
  return key;
}

const validated = new Map<string, Token[]>();
const encoder = new TextEncoder();

function parse(template: string): Token[] {
  const cached = validated.get(template);
  if (cached) return cached;
  if (typeof template !== "string" || template === "") {
    throw new UpgateError("CONFIG_INVALID", "a key template must be a non-empty string");
  }
  const tokens = tokenize(template);
  if (!tokens.some((t) => "variable" in t && t.variable === "random")) {
    throw invalidTemplate(template, "it must contain {random}, so every key has 128 unguessable bits");
  }
  let longest = 0;
  for (const t of tokens)
    longest += "literal" in t ? encoder.encode(t.literal).length : MAX_RENDERED[t.variable];
  if (longest > 1024) {
    throw invalidTemplate(template, `its keys could be ${longest} bytes long; S3 allows 1024`);
  }
  // Only {ext} can be empty, so rendering with and without it shows every shape a key can take.
  for (const ext of ["", ".ext"]) {
    const sample = render(tokens, {
      route: "route",
      userId: "user",
      random: "a".repeat(26),
      ext,
      date: "2025/01/31",
      uploadId: "upload",
    });
    const problem = s3KeyProblem(sample);
    if (problem) throw invalidTemplate(template, `${problem} (for example ${JSON.stringify(sample)})`);
  }
  if (validated.size >= 256) validated.clear();
  validated.set(template, tokens);
  return tokens;
}

/**
 * Checks a key template at config time: known placeholders only, balanced braces, {random}
 * present, and every key it can produce a safe S3 key of at most 1024 bytes (no leading "/",
 * no "//", no "." or ".." segments, no control characters). Throws UpgateError CONFIG_INVALID.
 */
export function validateKeyTemplate(template: string): void {
  parse(template);
}

function segment(name: string, value: unknown): string {
  if (typeof value !== "string" || value === "") {
    throw new UpgateError("CONFIG_INVALID", `the key's ${name} must be a non-empty string`);
  }
  return safeSegment(value);
}

function formatDate(date: Date): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new UpgateError("CONFIG_INVALID", "the key's date is not a valid Date");
  }
  const y = date.getUTCFullYear();
  if (y < 0 || y > 9999) throw new UpgateError("CONFIG_INVALID", `the key's date has year ${y}`);
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  return `${pad(y, 4)}/${pad(date.getUTCMonth() + 1, 2)}/${pad(date.getUTCDate(), 2)}`;
}

/**
 * Renders a validated template into an object key. Every variable is made path-safe, so no
 * user id can climb out of its prefix: with the default template the key is always
 * "{safe route}/{safe user}/{26 base32 chars}{ext}".
 */
export function renderKey(template: string, vars: KeyVars): string {
  const tokens = parse(template);
  const uses = (v: KeyVariable) => tokens.some((t) => "variable" in t && t.variable === v);
  const ext = vars.ext ?? "";
  if (typeof ext !== "string" || !EXT.test(ext)) {
    throw new UpgateError(
      "CONFIG_INVALID",
      `the key's ext must be "" or like ".png", got ${JSON.stringify(ext)}`,
    );
  }
  const random = vars.random ?? randomId(128);
  if (typeof random !== "string" || !RANDOM.test(random)) {
    throw new UpgateError("CONFIG_INVALID", "the key's random part must be 26 to 64 base32 characters");
  }
  const key = render(tokens, {
    route: segment("route", vars.route),
    userId: segment("userId", vars.userId),
    random,
    ext,
    date: uses("date") ? formatDate(vars.date ?? new Date()) : "",
    uploadId: uses("uploadId") ? segment("uploadId", vars.uploadId) : "",
  });
  const problem = s3KeyProblem(key);
  if (problem)
    throw new UpgateError("CONFIG_INVALID", `key template ${JSON.stringify(template)}: ${problem}`);
  return key;
}
