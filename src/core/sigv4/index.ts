/**
 * `upgate/sigv4`: the SigV4 engine as docs/sigv4.md documents it (signing, verifying, aws-chunked
 * payloads, checksums). Internal code imports the modules themselves, not this file.
 */
export {
  type Credentials,
  STREAMING_PAYLOAD,
  STREAMING_PAYLOAD_TRAILER,
  STREAMING_UNSIGNED_TRAILER,
  UNSIGNED_PAYLOAD,
} from "./canonical.js";
export { type Checksum, type ChecksumAlgorithm, createChecksum } from "./checksums.js";
export { awsChunkedLength, ChunkSigner, chunkHeader, encodeAwsChunked } from "./chunked.js";
export {
  AwsChunkedDecoder,
  ChunkedDecodeError,
  type ChunkedDecoderOptions,
  type ChunkedMode,
  chunkedModeOf,
} from "./chunked-decoder.js";
export { cryptoBackend } from "./crypto.js";
export type { SigV4Failure } from "./failure.js";
export { type HeaderInput, pairsFromRaw } from "./headers.js";
export {
  createPostPolicy,
  type PolicyCondition,
  type PostPolicy,
  type PostPolicyInput,
} from "./post-policy.js";
export { type PresignedRequest, type PresignInput, presignUrl } from "./presign.js";
export {
  type ChunkSigningContext,
  type SignedRequest,
  type SignRequestInput,
  signRequest,
} from "./sign-request.js";
export {
  type AuthKind,
  authKind,
  type SecretLookup,
  type SecretRecord,
  type VerifiedAuth,
  type VerifyOptions,
  type VerifyRequestInput,
  type VerifyResult,
  verifyAuthorizationHeader,
  verifyPresignedUrl,
  verifyRequest,
} from "./verify.js";
export {
  type VerifiedPost,
  type VerifyPostInput,
  type VerifyPostOptions,
  type VerifyPostResult,
  verifyPostPolicy,
} from "./verify-post.js";
