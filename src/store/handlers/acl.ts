import { S3Error } from "../errors.js";

/**
 * The store keeps no ACLs: it answers like an S3 bucket whose ACLs are disabled (Object Ownership
 * "bucket owner enforced"), where a write may name only an ACL that grants the owner alone, and any
 * other ACL or grant is 400 AccessControlListNotSupported. "private" is taken too, since it is what
 * every object here is anyway, so a gateway configured with storage.acl "private" (as on Ceph RGW)
 * works against the store unchanged.
 */
const OWNER_ONLY: ReadonlySet<string> = new Set(["private", "bucket-owner-full-control"]);

const GRANT = "x-amz-grant-";

function notSupported(): S3Error {
  return new S3Error("AccessControlListNotSupported");
}

/** A write's x-amz-acl and x-amz-grant-* headers (PutObject, CopyObject, CreateMultipartUpload). */
export function checkAclHeaders(headers: ReadonlyMap<string, string>): void {
  const acl = headers.get("x-amz-acl");
  if (acl !== undefined && !OWNER_ONLY.has(acl.trim())) throw notSupported();
  for (const name of headers.keys()) if (name.startsWith(GRANT)) throw notSupported();
}

/** A POST form's acl field. */
export function checkAclField(fields: ReadonlyMap<string, string>): void {
  const acl = fields.get("acl");
  if (acl !== undefined && !OWNER_ONLY.has(acl.trim())) throw notSupported();
}
