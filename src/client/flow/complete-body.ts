import type { CompleteRequest } from "../../core/protocol.js";
import { combineCrcBase64 } from "../../core/util/crc-combine.js";
import { UploadError } from "../errors.js";
import type { FileJob } from "./context.js";
import type { SentPart } from "./multipart.js";
import type { MultipartPlan } from "./plan.js";

/**
 * The complete request for a multipart upload: the parts, and on CRC routes the whole file's CRC,
 * combined from the part CRCs (no second pass over the file), which the gateway hands storage as
 * the FULL_OBJECT checksum. A file hashed whole before create must combine to the value it
 * declared: anything else means it changed while uploading.
 */
export function multipartCompleteBody(job: FileJob, plan: MultipartPlan, parts: SentPart[]): CompleteRequest {
  const body: CompleteRequest = { parts };
  const { algorithm } = plan;
  if (algorithm === "sha256" || parts.length !== plan.sizes.length) return body;
  const sized = [];
  for (const part of parts) {
    const checksum = part[algorithm];
    if (checksum === undefined) return body;
    sized.push({ checksum, size: plan.sizes[part.partNumber - 1]! });
  }
  const whole = combineCrcBase64(algorithm, sized);
  if (job.algorithm === algorithm && job.checksum !== undefined && job.checksum !== whole) {
    throw new UploadError("CHECKSUM", "the file changed while uploading (its parts no longer add up to it)", {
      file: job.entry.name,
    });
  }
  body[algorithm] = whole;
  return body;
}
