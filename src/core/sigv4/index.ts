export {
  ALGORITHM,
  type Credentials,
  canonicalHeaders,
  canonicalHeaderValue,
  canonicalRequest,
  credentialScope,
  EMPTY_SHA256,
  STREAMING_PAYLOAD,
  STREAMING_PAYLOAD_TRAILER,
  STREAMING_UNSIGNED_TRAILER,
  signCanonical,
  stringToSign,
  UNSIGNED_PAYLOAD,
} from "./canonical.js";
export {
  CHECKSUM_ALGORITHMS,
  type Checksum,
  type ChecksumAlgorithm,
  crc32,
  crc32c,
  createChecksum,
  isChecksumAlgorithm,
} from "./checksums.js";
export {
  awsChunkedLength,
  ChunkSigner,
  canonicalTrailers,
  chunkHeader,
  chunkStringToSign,
  encodeAwsChunked,
  trailerStringToSign,
} from "./chunked.js";
export {
  AwsChunkedDecoder,
  ChunkedDecodeError,
  type ChunkedDecoderOptions,
  type ChunkedMode,
  chunkedModeOf,
} from "./chunked-decoder.js";
export {
  type Bytes,
  createHash,
  cryptoBackend,
  forceWebCrypto,
  fromBase64,
  fromHex,
  hmacSha256,
  hmacSha256Hex,
  sha256,
  sha256Hex,
  toBase64,
  toHex,
} from "./crypto.js";
export {
  canonicalQuery,
  decodeComponent,
  encodePath,
  normalizePath,
  parseQuery,
  type QueryPairs,
  splitTarget,
  uriEncode,
} from "./encode.js";
export type { SigV4Failure } from "./failure.js";
export { type HeaderInput, headerMap, pairsFromRaw } from "./headers.js";
export {
  createPostPolicy,
  type PolicyCondition,
  type PostPolicy,
  type PostPolicyInput,
} from "./post-policy.js";
export {
  isHoistable,
  MAX_EXPIRES_SECONDS,
  type PresignedRequest,
  type PresignInput,
  presignUrl,
} from "./presign.js";
export {
  type ChunkSigningContext,
  type SignedRequest,
  type SignRequestInput,
  signRequest,
} from "./sign-request.js";
export { clearSigningKeyCache, signingKey } from "./signing-key.js";
export { isVirtualHostable, resolveTarget, type Target, useVirtualHost } from "./target.js";
export { formatAmzDate, isoSeconds, parseAmzDate } from "./time.js";
export {
  type AuthKind,
  authKind,
  MAX_SKEW_MS,
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
