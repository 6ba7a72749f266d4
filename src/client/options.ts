import type { TypeOption } from "./files.js";
import type { MetadataOption } from "./flow/create.js";
import type { HeadersOption } from "./gateway/client.js";
import type { IncrementalSha256 } from "./hash/hasher.js";
import type { UploadProgress } from "./progress/tracker.js";
import type { RetryOptions } from "./retry/backoff.js";
import type { RetryInfo } from "./retry/with-retry.js";
import type { StateStore } from "./state/types.js";
import type { Transport } from "./transport/types.js";

export interface UploaderOptions {
  /** The gateway's base URL ("https://api.example.com"); the API is under /v1. */
  endpoint: string;
  /** Headers for gateway requests (auth); a function is called per request. */
  headers?: HeadersOption;
  /** Parts in flight per file (default 4). */
  concurrency?: number;
  /** Files uploading at once within one task (default 2). */
  fileConcurrency?: number;
  retry?: Partial<RetryOptions>;
  /** Where unfinished multipart uploads are remembered (default: IndexedDB, else memory). */
  stateStore?: StateStore;
  /** fetch for gateway requests (and for storage when no XMLHttpRequest exists). */
  fetch?: typeof fetch;
  /** How storage requests are sent (default: XMLHttpRequest in browsers, fetch elsewhere). */
  transport?: Transport;
  /** Fail a storage request with TIMEOUT when no byte moves for this long (default 60 s). */
  stallTimeoutMs?: number;
  /**
   * Have storage check the bytes (default true): files up to 64 MiB (and single PUTs or POSTs of
   * any size) are hashed before upload and their SHA-256 declared; multipart parts each get their
   * own signed SHA-256, hashed while earlier parts upload. Off: nothing is hashed, and resume after
   * reload is off.
   */
  checksum?: boolean;
  /** Bytes read per slice while hashing (default 4 MiB). */
  hashChunkSize?: number;
  /**
   * The incremental whole-file hasher. Default: WebCrypto in one go for files up to 64 MiB, else
   * node:crypto in Node and the client's JS Sha256 in browsers. When given, it hashes every file.
   */
  hasher?: () => IncrementalSha256;
  /** Test seams for the backoff: the jitter source and the sleep. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface UploadOptions {
  /** The gateway route ("images", "documents", ...). */
  route: string;
  /**
   * The type to declare, instead of the file's own or the one its extension names: one type for
   * every file, or a function per file (returning undefined keeps the usual guess). The gateway
   * still checks the bytes against it.
   */
  type?: TypeOption;
  /** Metadata per file, if the route accepts it: one record for all, or a function per file. */
  metadata?: MetadataOption;
  onProgress?: (progress: UploadProgress) => void;
  /** Called before each retry, e.g. to show "network connection lost — retrying". */
  onRetry?: (info: RetryInfo & { file: string }) => void;
  /** Aborting it aborts the upload (as task.abort()). */
  signal?: AbortSignal;
}
