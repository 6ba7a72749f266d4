import { UpgateError } from "../errors.js";
import { formatSize } from "../util/sizes.js";
import { MAX_OBJECT_SIZE, MAX_PART_SIZE, MAX_PARTS, MIN_PART_SIZE } from "./limits.js";

const MiB = 1024 * 1024;

export interface PartPlan {
  partSize: number;
  partCount: number;
  /** Byte length of each part, in order: all partSize but the last, which may be smaller. */
  sizes: number[];
}

/**
 * The fixed part plan of a multipart upload (each part URL signs its exact length). The
 * preferred part size is clamped to S3's 5 MiB..5 GiB; when the file would need more than
 * 10,000 parts, the part size grows to the next whole MiB that fits. An empty file is one empty
 * part. Throws POLICY_TOO_LARGE above S3's 5 TiB object limit.
 */
export function planParts(size: number, preferredPartSize: number): PartPlan {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new UpgateError("VALIDATION_FAILED", `a file size must be a whole number of bytes, got ${size}`);
  }
  if (size > MAX_OBJECT_SIZE) {
    throw new UpgateError(
      "POLICY_TOO_LARGE",
      `${formatSize(size)} is more than S3 stores in one object (${formatSize(MAX_OBJECT_SIZE)})`,
      { details: { size, maxSize: MAX_OBJECT_SIZE } },
    );
  }
  if (!Number.isSafeInteger(preferredPartSize) || preferredPartSize <= 0) {
    throw new UpgateError(
      "CONFIG_INVALID",
      `partSize must be a positive whole number of bytes, got ${preferredPartSize}`,
    );
  }
  let partSize = Math.min(Math.max(preferredPartSize, MIN_PART_SIZE), MAX_PART_SIZE);
  const smallest = Math.ceil(size / MAX_PARTS);
  if (partSize < smallest) partSize = Math.ceil(smallest / MiB) * MiB;
  const partCount = Math.max(1, Math.ceil(size / partSize));
  const sizes = new Array<number>(partCount).fill(partSize);
  sizes[partCount - 1] = size - partSize * (partCount - 1);
  return { partSize, partCount, sizes };
}
