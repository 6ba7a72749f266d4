import type { UploadInstruction } from "../../core/protocol.js";
import { constantTimeEqual, sha256Hex } from "../../core/sigv4/crypto.js";
import { randomId } from "../../core/util/random.js";

/** The request header that carries an anonymous upload's capability. */
export const CAPABILITY_HEADER = "upgate-capability";

/** The query parameter of a shareable download link: GET /v1/files/:id?token=... */
export const DOWNLOAD_TOKEN_PARAM = "token";

/** 160 random bits, base32: "upc_" + 32 characters. */
const CAPABILITY_PREFIX = "upc_";
const DOWNLOAD_TOKEN_PREFIX = "upd_";
const SECRET_BITS = 160;

/** What an anonymous upload gets: two secrets for the caller, and their hashes for the ledger. */
export interface AnonymousSecrets {
  /** Complete, parts, delete and download: everything the uploader may do. */
  capability: string;
  /** Download only: for links the uploader shares. */
  downloadToken: string;
  capabilityHash: string;
  downloadTokenHash: string;
}

/** Fresh secrets for an anonymous upload. The ledger keeps only their SHA-256. */
export async function newAnonymousSecrets(): Promise<AnonymousSecrets> {
  const capability = CAPABILITY_PREFIX + randomId(SECRET_BITS);
  const downloadToken = DOWNLOAD_TOKEN_PREFIX + randomId(SECRET_BITS);
  const [capabilityHash, downloadTokenHash] = await Promise.all([
    sha256Hex(capability),
    sha256Hex(downloadToken),
  ]);
  return { capability, downloadToken, capabilityHash, downloadTokenHash };
}

/** A digest that no secret hashes to (not hex), compared against when the row has none. */
const NO_HASH = "-".repeat(64);

/**
 * Whether `candidate` hashes to `hash`. The candidate is always hashed and compared in constant
 * time, whether or not there is anything to match, so timing tells nothing about the row.
 */
export async function matchesHash(candidate: string | null, hash: string | null): Promise<boolean> {
  const digest = await sha256Hex(candidate ?? "");
  const equal = constantTimeEqual(digest, hash ?? NO_HASH);
  return equal && candidate !== null && candidate !== "" && hash !== null;
}

/** The instruction as the create answer gives it: with the anonymous upload's secrets, if any. */
export function withSecrets<T extends UploadInstruction>(
  instruction: T,
  secrets: AnonymousSecrets | undefined,
): T {
  if (!secrets) return instruction;
  return { ...instruction, capability: secrets.capability, downloadToken: secrets.downloadToken };
}
