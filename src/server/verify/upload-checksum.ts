import type { RouteChecksumAlgorithm } from "../../core/protocol.js";
import { compositeSha256 } from "../../core/s3/composite-checksum.js";
import { combineCrcBase64 } from "../../core/util/crc-combine.js";
import type { ObjectHead, StorageClient } from "../storage/types.js";
import { streamDigests } from "./stream-digests.js";

/** What an upload's bytes must hash to, in its route's algorithm. */
export interface ChecksumExpectation {
  algorithm: RouteChecksumAlgorithm;
  /** The whole file's value: declared at create (and signed), or given at Complete (FULL_OBJECT CRCs). */
  whole?: string;
  /** Multipart: each part's value (signed into its URL) with the planned sizes, in part order. */
  parts?: { values: readonly string[]; sizes: readonly number[] };
}

export type ChecksumVerdict =
  | {
      ok: true;
      /** "storage": compared with the checksum storage kept (no byte read); "gateway": computed here. */
      by: "storage" | "gateway";
      /** The object's checksum as verified: the whole file's, or sha256's COMPOSITE "<base64>-N". */
      value: string;
    }
  | {
      ok: false;
      by: "storage" | "gateway";
      expected: string;
      actual: string;
      /** The first part whose bytes differ (only known when the gateway read them). */
      partNumber?: number;
      /** The mismatch is in sha256's COMPOSITE value (storage's), not a whole-file value. */
      composite?: boolean;
    };

const COMPOSITE = /-\d+$/;

/**
 * The whole-file value a CRC expectation stands for: the one given, else the parts' CRCs combined
 * (S3's FULL_OBJECT value). Undefined for sha256, whose parts only make a COMPOSITE.
 */
export function expectedWhole(want: ChecksumExpectation): string | undefined {
  if (want.whole !== undefined || want.algorithm === "sha256" || !want.parts) return want.whole;
  const { values, sizes } = want.parts;
  return combineCrcBase64(
    want.algorithm,
    values.map((checksum, i) => ({ checksum, size: sizes[i]! })),
  );
}

/**
 * Checks the object against the expected checksums, reading no byte when storage kept what is
 * needed: a full-object value of the route's algorithm on HEAD (x-amz-checksum-mode: ENABLED) for a
 * whole-file value (a single PUT or POST, or a FULL_OBJECT CRC multipart upload), and sha256's
 * COMPOSITE "<base64>-N" for part SHA-256s. Storage computed those from the bytes it took (S3 refuses
 * a body whose signed checksum differs, and AWS adds CRC64NVME to every object itself).
 *
 * What storage did not keep (Ceph RGW 16 keeps nothing; S3 keeps no whole-file SHA-256 of a
 * multipart object) is computed here in one streaming read of the object: the whole-file digest and
 * each part's, so a mismatch names its part.
 */
export async function checkUploadChecksum(
  storage: StorageClient,
  key: string,
  head: ObjectHead,
  want: ChecksumExpectation,
): Promise<ChecksumVerdict | undefined> {
  const { algorithm } = want;
  const whole = expectedWhole(want);
  const composite = algorithm === "sha256" && want.parts ? compositeSha256(want.parts.values) : undefined;
  if (whole === undefined && composite === undefined) return undefined;

  const stored = head.checksums[algorithm];
  const storedWhole = stored !== undefined && !COMPOSITE.test(stored) ? stored : undefined;
  const storedComposite =
    composite !== undefined && stored?.endsWith(`-${want.parts!.values.length}`) ? stored : undefined;

  if (whole !== undefined && storedWhole !== undefined && storedWhole !== whole) {
    return { ok: false, by: "storage", expected: whole, actual: storedWhole };
  }
  if (composite !== undefined && storedComposite !== undefined && storedComposite !== composite) {
    return { ok: false, by: "storage", expected: composite, actual: storedComposite, composite: true };
  }
  const readWhole = whole !== undefined && storedWhole === undefined;
  const readParts = composite !== undefined && storedComposite === undefined;
  if (!readWhole && !readParts) return { ok: true, by: "storage", value: (whole ?? composite)! };

  // One read for everything storage could not vouch for. A CRC route's parts are read too when
  // given, so that a mismatch names its part.
  const sizes = want.parts && (readParts || algorithm !== "sha256") ? want.parts.sizes : [];
  const read = await streamDigests(
    await storage.getStream(key, { ifMatch: head.etag }),
    algorithm,
    sizes,
    readWhole,
  );
  const partValues = want.parts?.values ?? [];
  for (let i = 0; i < sizes.length; i++) {
    const got = read.parts[i] ?? "(missing)";
    if (got !== partValues[i]) {
      return { ok: false, by: "gateway", expected: partValues[i]!, actual: got, partNumber: i + 1 };
    }
  }
  if (readWhole && read.whole !== whole) {
    return { ok: false, by: "gateway", expected: whole!, actual: read.whole ?? "(none)" };
  }
  return { ok: true, by: "gateway", value: (whole ?? composite)! };
}
