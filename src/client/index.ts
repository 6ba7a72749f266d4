/** `upgate/client`: the browser-first uploader (also runs in Node 20), as docs/client.md documents it. */
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
export { formatSize } from "../core/util/sizes.js";
export { describeError } from "./describe.js";
export { UploadError, type UploadErrorCode, type UploadErrorInit } from "./errors.js";
export type { FileEntry, TypeOption, UploadInput } from "./files.js";
export type { MetadataOption } from "./flow/create.js";
export type { HeadersOption, ListUploadsQuery } from "./gateway/client.js";
export { createSha256, type IncrementalSha256 } from "./hash/hasher.js";
export type { UploaderOptions, UploadOptions } from "./options.js";
export type { UploadPhase, UploadProgress } from "./progress/tracker.js";
export type { ResumableUpload } from "./resumable.js";
export type { RetryOptions } from "./retry/backoff.js";
export type { RetryInfo } from "./retry/with-retry.js";
export { type IndexedDbStateOptions, indexedDbStateStore } from "./state/indexeddb.js";
export { memoryStateStore } from "./state/memory.js";
export type { ResumeRecord, StateStore } from "./state/types.js";
export type { TaskState, UploadTask } from "./task.js";
export { type FetchTransportOptions, fetchTransport } from "./transport/fetch.js";
export type { Transport, TransportRequest, TransportResponse } from "./transport/types.js";
export { xhrTransport } from "./transport/xhr.js";
export { createUploader, type Uploader } from "./uploader.js";
