/** S3's hard limits on object and part sizes (the same on R2, MinIO and Ceph), in bytes. */

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** The largest object a single PUT (or a browser POST) may carry: 5 GiB. */
export const MAX_SINGLE_UPLOAD = 5 * GiB;
/** The largest object S3 stores at all (multipart): 5 TiB. */
export const MAX_OBJECT_SIZE = 5 * 1024 * GiB;
/** Every part but the last must be at least 5 MiB. */
export const MIN_PART_SIZE = 5 * MiB;
/** No part may be larger than 5 GiB. */
export const MAX_PART_SIZE = 5 * GiB;
/** A multipart upload has at most 10,000 parts. */
export const MAX_PARTS = 10_000;
/** With strategy "auto", files above this size (64 MiB) go multipart. */
export const DEFAULT_MULTIPART_THRESHOLD = 64 * MiB;
/** The part size planParts starts from unless a route says otherwise (8 MiB). */
export const DEFAULT_PART_SIZE = 8 * MiB;
