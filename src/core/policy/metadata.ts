import { isPlainObject } from "../util/plain-object.js";

/**
 * Client metadata becomes x-amz-meta-* headers on the object, so it follows S3's rules, and a
 * bit more: lower-case names of letters, digits and "-"; printable ASCII values (headers carry
 * nothing else reliably) without surrounding spaces (HTTP would trim them and break the
 * signature); 2 KB in total, counted as S3 counts it (the bytes of every name and value). Names
 * starting with "upgate-" are the gateway's own (uploader, upload id) and cannot be sent.
 */

export const MAX_METADATA_BYTES = 2048;
export const RESERVED_METADATA_PREFIX = "upgate-";

const NAME = /^[a-z0-9-]{1,64}$/;
const VALUE = /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/;

/** Why `metadata` is not acceptable, or undefined when it is. */
export function metadataProblem(metadata: unknown): string | undefined {
  if (!isPlainObject(metadata)) return "metadata must be an object of string values";
  let total = 0;
  for (const [name, value] of Object.entries(metadata)) {
    const shown = JSON.stringify(name.length > 70 ? `${name.slice(0, 64)}…` : name);
    if (!NAME.test(name)) {
      return `metadata name ${shown} must be 1 to 64 lower-case letters, digits or "-"`;
    }
    if (name.startsWith(RESERVED_METADATA_PREFIX)) {
      return `metadata name ${shown} is reserved: names starting with "${RESERVED_METADATA_PREFIX}" are set by the gateway`;
    }
    if (typeof value !== "string") return `metadata ${shown} must be a string`;
    if (!VALUE.test(value)) {
      return `metadata ${shown} must be printable ASCII without leading or trailing spaces`;
    }
    total += name.length + value.length;
    if (total > MAX_METADATA_BYTES) return `metadata is larger than ${MAX_METADATA_BYTES} bytes in total`;
  }
  return undefined;
}
