import { RESERVED_METADATA_PREFIX } from "../../../core/policy/metadata.js";

/** Printable ASCII: what a signed header value can carry and what every store returns unchanged. */
const SIGNABLE = /^[\x20-\x7e]*$/;

/**
 * The gateway's own names (uploader, upload id) are compared first: a mismatch there means the
 * object was not written through this upload's URL, which decides what happens to it
 * (dispose-rejected.ts).
 */
const order = (name: string): number => (name.startsWith(RESERVED_METADATA_PREFIX) ? 0 : 1);

export interface MetadataMismatch {
  name: string;
  /** The signed value; null for a name the gateway did not sign. */
  expected: string | null;
  /** The stored value (at most 200 characters); null when storage has none. */
  actual: string | null;
  message: string;
}

/**
 * The first difference between the user metadata the gateway signed and what storage keeps, or
 * undefined when they are the same set. A name the gateway did not sign was added by whoever held
 * the URL (Ceph RGW keeps an unsigned x-amz-meta-* on a presigned PUT). Names compare lower-case,
 * as S3 returns them. A signed value must come back unchanged; the gateway signs only printable
 * ASCII, and a value it could not have signed as is (an older row's, say) is only required to be there.
 */
export function metadataMismatch(
  signed: Readonly<Record<string, string>>,
  stored: Readonly<Record<string, string>>,
): MetadataMismatch | undefined {
  const want = new Map(Object.entries(signed).map(([name, value]) => [name.toLowerCase(), value]));
  const have = new Map(Object.entries(stored).map(([name, value]) => [name.toLowerCase(), value]));
  for (const [name, expected] of [...want].sort(([a], [b]) => order(a) - order(b))) {
    const actual = have.get(name);
    if (actual === undefined || (SIGNABLE.test(expected) && actual !== expected)) {
      return {
        name,
        expected,
        actual: actual?.slice(0, 200) ?? null,
        message: `stored x-amz-meta-${name} does not match the signed value`,
      };
    }
  }
  const extra = [...have.keys()].filter((name) => !want.has(name)).sort()[0];
  if (extra === undefined) return undefined;
  return {
    name: extra,
    expected: null,
    actual: have.get(extra)!.slice(0, 200),
    message: `stored x-amz-meta-${extra} was not signed by the gateway`,
  };
}
