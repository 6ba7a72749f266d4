/**
 * After a restart: reads back every object under a prefix and checks that each one is whole and
 * consistent with itself (bytes, checksum, ETag, type and metadata all of one version written to
 * that key), then judges every key against the history of what was written, acknowledged or not.
 */
import { createHash } from "node:crypto";
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import type { Versions } from "./crash-data.js";
import { getObject, type Target } from "./crash-http.js";
import type { History, Tally, Value } from "./crash-model.js";

/** Every object under `prefix`, read in full and checked; key -> sha256 of what it holds. */
export async function scanObjects(
  t: Target,
  s3: S3Client,
  prefix: string,
  versions: Versions,
  problems: string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: t.bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const listed of page.Contents ?? []) {
      const key = listed.Key!;
      const got = await getObject(t, key);
      if (!got) {
        problems.push(`${key}: listed but not readable`);
        continue;
      }
      const sha = createHash("sha256").update(got.bytes).digest("hex");
      found.set(key, sha);
      const h = got.headers;
      const version = versions.find(key, sha);
      const mismatches: string[] = [];
      if (!version) mismatches.push(`its ${got.bytes.length} bytes are no version written to it`);
      if (h.get("x-amz-meta-sha256") !== sha)
        mismatches.push(`x-amz-meta-sha256 ${h.get("x-amz-meta-sha256")}`);
      if (listed.Size !== got.bytes.length) mismatches.push(`listed size ${listed.Size}`);
      if (Number(h.get("content-length")) !== got.bytes.length)
        mismatches.push(`content-length ${h.get("content-length")}`);
      if (version) {
        if (h.get("etag") !== version.etag || listed.ETag !== version.etag)
          mismatches.push(`ETag ${h.get("etag")} / listed ${listed.ETag}, wrote ${version.etag}`);
        if (h.get("content-type") !== version.contentType) mismatches.push(`type ${h.get("content-type")}`);
        if ((h.get("x-amz-checksum-sha256") ?? undefined) !== version.checksum)
          mismatches.push(`x-amz-checksum-sha256 ${h.get("x-amz-checksum-sha256")}`);
      }
      if (mismatches.length > 0) problems.push(`${key}: corrupt: ${mismatches.join("; ")}`);
    }
    token = page.NextContinuationToken;
  } while (token);
  return found;
}

/**
 * Judges each key: it must hold a value its history allows. Counts what was verified, reports the
 * rest as lost or corrupted, then makes what the store holds the key's settled state.
 */
export function judge(history: History, found: Map<string, string>, tally: Tally, label: string): void {
  for (const key of new Set([...history.keys(), ...found.keys()])) {
    const value: Value = found.get(key) ?? null;
    const allowed = history.allowed(key);
    const last = history.lastAcknowledged(key);
    if (!allowed.includes(value)) {
      const deleted = allowed.length === 1 && allowed[0] === null;
      const what = value === null ? "lost" : deleted ? "deleted, yet back" : "holds a version it may not";
      tally.problems.push(`${label} ${key}: ${what} (${value}); may hold ${JSON.stringify(allowed)}`);
    } else if (value === last.value) {
      if (value === null) tally.deletesVerified++;
      else tally.objectsVerified++;
    } else {
      tally.interruptedLanded++;
    }
    history.settle(key, value);
  }
}
