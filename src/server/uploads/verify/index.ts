export { stripTypeParameters } from "./content-type.js";
export { contentDisposition, inlineSafe } from "./inline-safe.js";
export {
  canonicalType,
  hasSignature,
  type Judgement,
  judgeDetection,
  type SniffKind,
  sniffKind,
} from "./signatures.js";
export { SNIFF_BYTES, type SniffResult, sniffObject } from "./sniff.js";
export { type ChecksumExpectation, type ChecksumVerdict, checkUploadChecksum } from "./upload-checksum.js";
export {
  type VerifyExpectation,
  type VerifyFailureCode,
  type VerifyObjectOptions,
  type VerifyObjectResult,
  verifyObject,
} from "./verify-object.js";
