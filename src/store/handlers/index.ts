import type { Handler } from "../context.js";
import type { Operation } from "../router.js";
import { sts } from "../sts/handler.js";
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from "./bucket.js";
import { deleteBucketCors, getBucketCors, preflight, putBucketCors } from "./cors-config.js";
import { getObjectAttributes } from "./get-object-attributes.js";
import { listObjects } from "./list-objects.js";
import { listObjectVersions } from "./list-versions.js";
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  listMultipartUploads,
  listParts,
  uploadPart,
} from "./multipart.js";
import { deleteObject, deleteObjects } from "./object-delete.js";
import { getObject, headObject } from "./object-get.js";
import { copyObject, putObject } from "./object-put.js";
import { postObject } from "./post-object.js";
import { uploadPartCopy } from "./upload-part-copy.js";

export const handlers: Record<Operation, Handler> = {
  ListBuckets: listBuckets,
  CreateBucket: createBucket,
  HeadBucket: headBucket,
  DeleteBucket: deleteBucket,
  GetBucketLocation: getBucketLocation,
  PutBucketCors: putBucketCors,
  GetBucketCors: getBucketCors,
  DeleteBucketCors: deleteBucketCors,
  ListObjects: listObjects,
  ListObjectVersions: listObjectVersions,
  ListMultipartUploads: listMultipartUploads,
  DeleteObjects: deleteObjects,
  PostObject: postObject,
  Sts: sts,
  PutObject: putObject,
  CopyObject: copyObject,
  GetObject: getObject,
  GetObjectAttributes: getObjectAttributes,
  HeadObject: headObject,
  DeleteObject: deleteObject,
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  ListParts: listParts,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  Preflight: preflight,
};
