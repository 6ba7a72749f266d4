import { UpgateError } from "../../core/errors.js";
import { MAX_METADATA_BYTES, metadataProblem } from "../../core/policy/metadata.js";
import type { FileDeclaration } from "../../core/protocol.js";
import type { ResolvedRoute } from "../config/resolved.js";
import type { Principal } from "../principal.js";

export const UPLOADER_USER = "upgate-user";
export const UPLOADER_UPLOAD = "upgate-upload";

/**
 * The signed uploader metadata. Header values must be printable ASCII, and user ids are not, always:
 * the user id is percent-encoded (encodeURIComponent), which leaves ordinary ids unchanged.
 */
export function uploaderMetadata(
  userId: string,
  uploadId: string,
): { "upgate-user": string; "upgate-upload": string } {
  return { [UPLOADER_USER]: encodeURIComponent(userId), [UPLOADER_UPLOAD]: uploadId } as {
    "upgate-user": string;
    "upgate-upload": string;
  };
}

/**
 * The client's metadata with the route's on top (the route wins a name both set). The route's
 * function is the application's code: invalid output is a server error, not the client's.
 */
export async function fileMetadata(
  route: ResolvedRoute,
  principal: Principal,
  file: FileDeclaration,
): Promise<Record<string, string>> {
  const fromRoute = route.metadata ? await route.metadata(principal, file) : {};
  const problem = route.metadata ? metadataProblem(fromRoute) : undefined;
  if (problem) {
    throw new UpgateError(
      "CONFIG_INVALID",
      `route ${route.policy.name}'s metadata function returned invalid metadata: ${problem}`,
    );
  }
  return { ...file.metadata, ...fromRoute };
}

/** S3's 2 KB budget for all user metadata, uploader values included (names and values, in bytes). */
export function metadataBytes(metadata: Record<string, string>): number {
  let total = 0;
  for (const name of Object.keys(metadata)) total += name.length + utf8Length(metadata[name]!);
  return total;
}

/** The UTF-8 length of a string, as TextEncoder would encode it (a lone surrogate as U+FFFD), without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export const MAX_METADATA = MAX_METADATA_BYTES;

export function fitsMetadataBudget(metadata: Record<string, string>): boolean {
  return metadataBytes(metadata) <= MAX_METADATA_BYTES;
}

/** x-amz-meta-* headers (or POST form fields) for metadata names without the prefix. */
export function metadataHeaders(metadata: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata)) headers[`x-amz-meta-${name}`] = value;
  return headers;
}
