import type { StorageConfig } from "../s3/types.js";

/**
 * storage.acl as the x-amz-acl header of a PUT URL, CreateMultipartUpload or a copy: signed, so
 * storage refuses a request carrying any other ACL (SignatureDoesNotMatch). Nothing when unset.
 */
export function aclHeader(config: StorageConfig): Record<string, string> {
  return config.acl === undefined ? {} : { "x-amz-acl": config.acl };
}

/** storage.acl as the acl field of a POST form, pinned by an exact policy condition. */
export function aclField(config: StorageConfig): Record<string, string> {
  return config.acl === undefined ? {} : { acl: config.acl };
}
