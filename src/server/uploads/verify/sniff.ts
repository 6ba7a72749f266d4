import { fileTypeFromBuffer } from "file-type/core";
import type { ReadOptions, StorageClient } from "../../s3/types.js";
import { canonicalType, type Judgement, judgeDetection } from "./signatures.js";

/** file-type's own advice: 4100 bytes are enough to recognise every format it knows. */
export const SNIFF_BYTES = 4100;

export type SniffResult = Judgement & { detected: string | undefined };

/** Reads the object's first bytes (one ranged GET, If-Match `options.ifMatch` when given) and judges what they are against the declared type. */
export async function sniffObject(
  storage: StorageClient,
  key: string,
  declared: string,
  bytes = SNIFF_BYTES,
  options: ReadOptions = {},
): Promise<SniffResult> {
  const head = await storage.getRange(key, 0, bytes - 1, options);
  const found = await fileTypeFromBuffer(head);
  return {
    ...judgeDetection(declared, found?.mime),
    detected: found ? canonicalType(found.mime) : undefined,
  };
}
