/**
 * The adversarial catalogue's shape: each case names an attack, the refusal it must get, and is
 * run against a "world" (a store, or a gateway with its store and ledger) whose state is
 * snapshotted before and after the attack: a refused attack must leave it unchanged.
 */

export const FAMILIES = [
  "signature tampering",
  "expiry",
  "replay",
  "content mismatch",
  "overwrite",
  "key traversal",
  "header injection",
  "oversized input",
  "malformed XML",
  "malformed POST form",
  "JWT",
  "quota evasion",
  "type confusion",
  "slow clients",
  "request floods",
  "verification floods",
  "cross-instance completion races",
  "unsigned headers",
  "post replay after complete",
  "part URL after complete",
  "changed behind the gateway",
  "download names",
  "anonymous quota sharing",
  "capability leaks",
  "idempotent replays",
  "JWT lifetime",
] as const;
export type Family = (typeof FAMILIES)[number];

/** What came back from the attack: an HTTP status and S3 XML or gateway JSON error code. */
export interface Refusal {
  status: number;
  /** S3's <Code> or the gateway's error.code; "" when the body had none (a reset socket, say). */
  code: string;
}

/** What the case expects: a status and code, or a predicate for refusals with several valid shapes. */
export type Expectation = Refusal | ((got: Refusal) => boolean);

export interface World {
  /**
   * A canonical text of everything an attack could change (bucket listings with sizes and ETags,
   * in-progress multipart uploads, ledger rows, quota usage). Equal before and after = unchanged.
   */
  snapshot(): Promise<string>;
}

export interface AdversarialCase<W extends World> {
  family: Family;
  /** Unique within the catalogue. */
  name: string;
  /** The attack in one line, for the table and the failure message. */
  attack: string;
  expect: Expectation;
  /** Legitimate preparation, before the "before" snapshot (create an upload, sign a URL, ...). */
  setup?(world: W): Promise<unknown>;
  /** Performs the attack with whatever setup returned; returns what the server answered. */
  run(world: W, prepared: unknown): Promise<Refusal>;
  /**
   * Extra proof beyond the snapshot (e.g. the socket was freed, memory stayed bounded). Throws
   * when the attack succeeded in some way the snapshot cannot see.
   */
  verify?(world: W, prepared: unknown): Promise<void>;
  /** Set only for cases whose legitimate side effect the snapshot would see (say so in `attack`). */
  allowStateChange?: boolean;
}

export function matches(expect: Expectation, got: Refusal): boolean {
  return typeof expect === "function"
    ? expect(got)
    : expect.status === got.status && expect.code === got.code;
}

export function describeExpectation(expect: Expectation): string {
  return typeof expect === "function" ? "(predicate)" : `${expect.status} ${expect.code}`;
}
