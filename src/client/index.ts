/** upgate/client: the browser-first uploader (also runs in Node 20). Imports only upgate core. */
export type {
  CompleteResponse,
  ListRoutesResponse,
  ListUploadsResponse,
  RouteInfo,
  RouteTypeInfo,
  UploadInstruction,
  UploadRecord,
  UploadStatus,
} from "../core/protocol.js";
export { Control } from "./control.js";
export { describeError } from "./describe.js";
export {
  isExpired,
  isUploadError,
  UploadError,
  type UploadErrorCode,
  type UploadErrorInit,
} from "./errors.js";
export type { FileEntry, TypeOption, UploadInput } from "./files.js";
export type { MetadataOption } from "./flow/create.js";
export {
  GatewayClient,
  type GatewayClientOptions,
  type HeadersOption,
  type ListQuery,
} from "./gateway/client.js";
export { type HashBlobOptions, hashBlob } from "./hash/hash-blob.js";
export { hashPart, WEBCRYPTO_MAX_PART } from "./hash/hash-part.js";
export { createSha256, type IncrementalSha256 } from "./hash/hasher.js";
export { Sha256, sha256 } from "./hash/sha256.js";
export type { UploaderOptions, UploadOptions } from "./options.js";
export type { UploadPhase, UploadProgress } from "./progress/tracker.js";
export type { ResumableUpload } from "./resumable.js";
export { backoffDelay, DEFAULT_RETRY, parseRetryAfter, type RetryOptions } from "./retry/backoff.js";
export type { RetryInfo } from "./retry/with-retry.js";
export { defaultStateStore } from "./state/default.js";
export { type IndexedDbStateOptions, indexedDbStateStore } from "./state/indexeddb.js";
export { type FileIdentity, identityOfKey, resumeKey } from "./state/key.js";
export { memoryStateStore } from "./state/memory.js";
export type { ResumeRecord, StateStore } from "./state/types.js";
export { storageError } from "./storage/classify.js";
export { type TaskState, UploadTask } from "./task.js";
export { defaultTransport } from "./transport/default.js";
export { type FetchTransportOptions, fetchTransport } from "./transport/fetch.js";
export type { Transport, TransportRequest, TransportResponse } from "./transport/types.js";
export { xhrTransport } from "./transport/xhr.js";
export { createUploader, type Uploader } from "./uploader.js";
