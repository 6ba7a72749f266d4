/** Why a backend call was refused, for the HTTP layer to map onto S3's error codes. */
export type BackendErrorCode =
  | "InvalidBucketName"
  | "InvalidKey"
  | "InvalidArgument"
  | "NoSuchBucket"
  | "NoSuchUpload"
  | "InvalidPart";

/** A refusal the caller can map onto an S3 error; any other error is unexpected (a 500). */
export class BackendError extends Error {
  override readonly name = "BackendError";
  readonly code: BackendErrorCode;

  constructor(code: BackendErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
