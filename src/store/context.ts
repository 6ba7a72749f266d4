import type { IncomingMessage, ServerResponse } from "node:http";
import type { VerifiedAuth } from "../core/sigv4/verify.js";
import type { StorageBackend } from "./backend/types.js";
import type { ObjectStoreOptions } from "./options.js";
import type { CredentialRegistry } from "./sts/registry.js";

/** The store-wide state every handler sees. */
export interface StoreState {
  backend: StorageBackend;
  options: ObjectStoreOptions;
  region: string;
  now(): Date;
  /** Who may sign: the configured keys and the temporary credentials issued (STS). */
  credentials: CredentialRegistry;
}

export interface BodyResult {
  /** Decoded payload length. */
  length: number;
  /** Quoted md5 hex of the payload, S3's ETag for single-part objects. */
  etag: string;
  /** Verified checksums the client supplied (header or trailer), base64 by algorithm. */
  checksums: Record<string, string>;
}

export interface BodyLimits {
  maxBytes?: number;
  /**
   * Whether x-amz-checksum-* headers are checksums of this body (the default). On
   * CompleteMultipartUpload they are the expected checksum of the assembled object instead.
   */
  checksumHeaders?: boolean;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  method: string;
  bucket: string | undefined;
  key: string | undefined;
  /** Decoded query parameters (first value wins), including hoisted x-amz-meta-* ones. */
  query: Map<string, string>;
  /** Lower-case header names; repeats joined with ",". */
  headers: Map<string, string>;
  /** The verified signature, or undefined for requests that authenticate themselves (POST Object) or need none (preflight). */
  auth: VerifiedAuth | undefined;
  state: StoreState;
  /** Whether the body has been read (or there was none). */
  bodyConsumed: boolean;
  /**
   * Streams the payload (aws-chunked decoded, every signature and checksum checked) into `sink`.
   * Resolves only when every check passed; rejects with an S3Error otherwise.
   */
  readBody(sink: (chunk: Uint8Array) => Promise<void>, limits?: BodyLimits): Promise<BodyResult>;
  /** The whole body in memory, for small XML requests (limit in bytes). */
  readSmallBody(maxBytes: number, options?: Omit<BodyLimits, "maxBytes">): Promise<Buffer>;
}

export type Handler = (ctx: RequestContext) => Promise<void>;
