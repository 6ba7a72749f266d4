export { getBucketCors, putBucketCors } from "./bucket-cors.js";
export { createStorageClient } from "./s3-client.js";
export {
  createS3Transport,
  type S3Response,
  type S3StreamResponse,
  type S3Transport,
  type TransportOptions,
} from "./transport.js";
export * from "./types.js";
