export { stripTypeParameters } from "./content-type.js";
export { contentDisposition, inlineSafe } from "./inline-safe.js";
export { type ChecksumCheck, objectSha256 } from "./object-checksum.js";
export {
  canonicalType,
  hasSignature,
  type Judgement,
  judgeDetection,
  type SniffKind,
  sniffKind,
} from "./signatures.js";
export { SNIFF_BYTES, type SniffResult, sniffObject } from "./sniff.js";
export {
  type VerifyExpectation,
  type VerifyFailureCode,
  type VerifyObjectOptions,
  type VerifyObjectResult,
  verifyObject,
} from "./verify-object.js";
