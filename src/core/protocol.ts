/**
 * The gateway's JSON wire types, shared by the server (which produces them) and the client
 * (which consumes them). Field names here are public API.
 */

/** A route's checksum algorithm (`checksum.algorithm` in its config; default "sha256"). */
export type RouteChecksumAlgorithm = "sha256" | "crc64nvme" | "crc32c";

/**
 * Per-algorithm checksum fields, as S3 names them: base64 of the big-endian checksum bytes. A route
 * accepts only its own algorithm's field.
 */
export interface ChecksumFields<T = string> {
  sha256?: T;
  crc64nvme?: T;
  crc32c?: T;
}

/** One file a client wants to upload, as declared in POST /v1/uploads. */
export interface FileDeclaration {
  name: string;
  /** The MIME type the client claims; checked against the route and later against the bytes. */
  type: string;
  /** Exact size in bytes. */
  size: number;
  /** Base64 SHA-256 of the whole file; required by routes with checksum: "required" (sha256 routes). */
  sha256?: string;
  /** Base64 CRC64NVME of the whole file (crc64nvme routes). */
  crc64nvme?: string;
  /** Base64 CRC32C of the whole file (crc32c routes). */
  crc32c?: string;
  /** Client metadata, if the route accepts it. */
  metadata?: Record<string, string>;
}

export interface CreateUploadsRequest {
  route: string;
  files: FileDeclaration[];
}

interface InstructionBase {
  /** The gateway's upload id (not the storage's multipart upload id). */
  id: string;
  key: string;
  /** ISO 8601: when the URLs stop working. */
  expiresAt: string;
  /**
   * The route's checksum algorithm: which field part checksums and the whole-file value use.
   * (Gateways before issue 14 send none: sha256.)
   */
  checksumAlgorithm?: RouteChecksumAlgorithm;
  /**
   * Anonymous uploads only: the secret that lets the uploader complete, resume, delete and download
   * this upload, sent as the `Upgate-Capability` header. Given once (the gateway keeps only its
   * hash); the upload id alone grants nothing.
   */
  capability?: string;
  /**
   * Anonymous uploads only: a read-only token for a shareable link, `GET /v1/files/:id?token=...`.
   * It downloads the verified file and does nothing else.
   */
  downloadToken?: string;
}

/** A single presigned PUT: send exactly `headers`, body = the file. */
export interface PutInstruction extends InstructionBase {
  method: "PUT";
  url: string;
  headers: Record<string, string>;
}

/** A browser form POST: send `fields` in order, then the file as the last field named "file". */
export interface PostInstruction extends InstructionBase {
  method: "POST";
  url: string;
  fields: Record<string, string>;
}

export interface PartInstruction {
  partNumber: number;
  /** Exact byte length of this part (the URL signs it). */
  size: number;
  url: string;
  headers: Record<string, string>;
}

/** Multipart: upload each part (any order, in parallel), then POST /v1/uploads/:id/complete with the ETags. */
export interface MultipartInstruction extends InstructionBase {
  method: "MULTIPART";
  uploadId: string;
  partSize: number;
  partCount: number;
  /**
   * URLs for the first parts (up to 1000), binding no checksum; empty when the upload's parts must
   * carry one (checksumAlgorithm "sha256": a COMPOSITE upload), which POST /v1/uploads/:id/parts signs.
   */
  parts: PartInstruction[];
}

export type UploadInstruction = PutInstruction | PostInstruction | MultipartInstruction;

export interface CreateUploadsResponse {
  uploads: UploadInstruction[];
}

/** POST /v1/uploads/:id/parts: fresh URLs for these parts, optionally binding each part's SHA-256. */
export interface PartsRequest {
  /** The parts to sign (up to 1000); none asks only which parts storage holds (`uploaded`). */
  partNumbers: number[];
  /** Base64 SHA-256 per part number, signed into that part's URL: required for each part on sha256 routes. */
  sha256?: Record<string, string>;
  /** Base64 CRC64NVME per part number (crc64nvme routes), signed as x-amz-checksum-crc64nvme. */
  crc64nvme?: Record<string, string>;
  /** Base64 CRC32C per part number (crc32c routes), signed as x-amz-checksum-crc32c. */
  crc32c?: Record<string, string>;
}

export interface PartsResponse {
  parts: PartInstruction[];
  /**
   * Parts the storage already holds (for resume): number, size and ETag, and the SHA-256 storage
   * verified the part against, when the part was sent with one and storage keeps it.
   */
  uploaded: Array<{ partNumber: number; size: number; etag: string } & ChecksumFields>;
  expiresAt: string;
}

export interface CompleteRequest extends Pick<ChecksumFields, "crc64nvme" | "crc32c"> {
  /**
   * Multipart: the parts' ETags, and optionally each part's base64 SHA-256 (the one signed into its
   * URL). With a sha256 for every part, the gateway checks the object against them: against the
   * storage's composite checksum when it keeps one, else by hashing each part's bytes.
   */
  parts?: Array<{ partNumber: number; etag: string } & ChecksumFields>;
  /*
   * crc64nvme / crc32c: the whole object's CRC (the parts' CRCs combined), which the gateway passes
   * to CompleteMultipartUpload with x-amz-checksum-type: FULL_OBJECT.
   */
}

export type UploadStatus = "pending" | "uploaded" | "verified" | "rejected" | "expired" | "aborted";

/** An upload as the gateway reports it. */
export interface UploadRecord {
  id: string;
  route: string;
  name: string;
  key: string;
  status: UploadStatus;
  /** Verified size once verified, else the declared size. */
  size: number;
  type: string;
  /** The route's checksum algorithm; the whole file's value, when known, is in the field of that name. */
  checksumAlgorithm?: RouteChecksumAlgorithm;
  sha256?: string;
  crc64nvme?: string;
  crc32c?: string;
  /** Reason code when rejected. */
  reason?: string;
  createdAt: string;
  completedAt?: string;
}

export interface CompleteResponse {
  upload: UploadRecord;
}

export interface ListUploadsResponse {
  uploads: UploadRecord[];
  nextCursor?: string;
}

/** One allowed-type pattern of a route, as GET /v1/routes describes it. */
export interface RouteTypeInfo {
  /** The allowed pattern as configured: "image/png", "image/*", "*\/*". */
  type: string;
  /** For people: "PNG", "Any image", "Any file" (the shared type table's labels). */
  label: string;
  /**
   * Extensions this pattern accepts, from the shared type table, with the dot: [".png"]. A family
   * ("image/*") lists the table's types of that family; "*\/*" and unknown types list none.
   */
  extensions: string[];
}

/** A route the caller may upload to, as GET /v1/routes describes it. */
export interface RouteInfo {
  name: string;
  label: string;
  types: RouteTypeInfo[];
  /** Bytes. */
  maxSize: number;
  /** Bytes. */
  minSize: number;
  /** Files per create request. */
  maxFiles: number;
  strategy: "auto" | "put" | "post" | "multipart";
  /** Bytes: from this size on, "auto" uploads in parts. */
  multipartThreshold: number;
  /** Bytes per part of a multipart upload. */
  partSize: number;
  checksum: { mode: "required" | "optional"; algorithm: "sha256" | "crc64nvme" | "crc32c" };
  /** Seconds a signed URL works. */
  urlLifetime: number;
  /** Whether the route takes uploads without credentials. */
  public: boolean;
}

/** GET /v1/routes: the routes the caller may use, in config order. */
export interface ListRoutesResponse {
  routes: RouteInfo[];
}
