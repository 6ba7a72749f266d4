import { createHash } from "node:crypto";
import { AwsCrc32c } from "@aws-crypto/crc32c";
import { Crc64Nvme as AwsCrc64Nvme } from "@aws-sdk/crc64-nvme";
import type { RouteChecksumAlgorithm } from "../../../src/core/protocol.js";
import { type Harness, json, putWith } from "./support.js";

/** A part's or file's checksum in `algorithm`, base64, from independent implementations (node:crypto, the AWS SDK's CRCs). */
export async function checksumOf(algorithm: RouteChecksumAlgorithm, data: Uint8Array): Promise<string> {
  if (algorithm === "sha256") return createHash("sha256").update(data).digest("base64");
  const h = algorithm === "crc64nvme" ? new AwsCrc64Nvme() : new AwsCrc32c();
  h.update(data);
  return Buffer.from(await h.digest()).toString("base64");
}

export interface SentPart {
  partNumber: number;
  etag: string;
  /** The part's checksum in the upload's algorithm, under that algorithm's name. */
  [algorithm: string]: string | number;
}

/**
 * Uploads every part of a multipart instruction as the client does: one POST /parts binding each
 * part's checksum (the upload's algorithm; COMPOSITE SHA-256 uploads refuse parts without one),
 * then a PUT per part with exactly the headers returned. Returns each part's number, ETag and checksum.
 */
export async function sendParts(
  h: Pick<Harness, "api">,
  token: string,
  mp: { id: string; partSize: number; partCount: number; checksumAlgorithm?: RouteChecksumAlgorithm },
  data: Uint8Array,
  partNumbers: number[] = Array.from({ length: mp.partCount }, (_, i) => i + 1),
): Promise<SentPart[]> {
  const algorithm = mp.checksumAlgorithm ?? "sha256";
  const slice = (n: number) => data.subarray((n - 1) * mp.partSize, Math.min(n * mp.partSize, data.length));
  const values: Record<string, string> = {};
  for (const n of partNumbers) values[String(n)] = await checksumOf(algorithm, slice(n));
  const res = await h.api(`/v1/uploads/${mp.id}/parts`, {
    token,
    body: { partNumbers, [algorithm]: values },
  });
  if (res.status !== 200) throw new Error(`/parts answered ${res.status}: ${await res.text()}`);
  const { parts } = await json(res);
  const sent: SentPart[] = [];
  for (const part of parts) {
    const put = await putWith(part, slice(part.partNumber));
    if (put.status !== 200)
      throw new Error(`part ${part.partNumber} answered ${put.status}: ${await put.text()}`);
    sent.push({
      partNumber: part.partNumber,
      etag: put.headers.get("etag")!,
      [algorithm]: values[String(part.partNumber)]!,
    });
  }
  return sent;
}
