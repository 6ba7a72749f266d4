import type { RouteChecksumAlgorithm } from "../core/protocol.js";
import { UploadError } from "./errors.js";
import { toEntries, type UploadInput } from "./files.js";
import { HASH_FIRST_MAX } from "./flow/run.js";
import type { GatewayClient } from "./gateway/client.js";
import { fileFingerprint } from "./hash/fingerprint.js";
import { blobChecksum } from "./hash/part-checksum.js";
import { identityOfKey, resumeKey, wholeFileKeyHash } from "./state/key.js";
import type { ResumeRecord, StateStore } from "./state/types.js";

/** An unfinished multipart upload this browser can continue, once it is given the same file again. */
export interface ResumableUpload {
  /** The gateway's upload id. */
  id: string;
  route: string;
  /** The file it was started with: name, size and last-modified time. */
  name: string;
  size: number;
  lastModified: number;
  /** Bytes storage holds now: the parts it has stored, as the gateway reports them. */
  storedBytes: number;
  /** When its URLs lapse (ISO 8601); a later upload of the file starts over. */
  expiresAt: string;
  /** Its resume key (name, size, date and a hash of the file), which isSameFile checks. */
  key: string;
  /** The upload's checksum algorithm (sha256 unless the route checksums with a CRC). */
  checksumAlgorithm?: RouteChecksumAlgorithm;
}

const status = (err: unknown) => (err instanceof UploadError && err.code === "GATEWAY" ? err.status : 0);

/** The bytes of the parts the client itself saw stored: the fallback when the gateway cannot say. */
function recordedBytes(record: ResumeRecord): number {
  return Object.keys(record.etags).reduce((sum, n) => sum + (record.sizes[Number(n) - 1] ?? 0), 0);
}

async function describe(gateway: GatewayClient, state: StateStore, record: ResumeRecord) {
  const file = identityOfKey(record.key);
  if (!file || record.sizes.length === 0) return undefined;
  if (record.capability !== undefined && gateway.secretsOf(record.id) === undefined) {
    gateway.remember(record.id, { capability: record.capability });
  }
  let storedBytes: number;
  try {
    // No URL is wanted, only what storage holds (a sha256 upload's URL would need part 1's SHA-256).
    const answer = await gateway.parts(record.id, { partNumbers: [] });
    storedBytes = answer.uploaded
      .filter((part) => record.sizes[part.partNumber - 1] === part.size)
      .reduce((sum, part) => sum + part.size, 0);
  } catch (err) {
    // Finished, cancelled or expired: nothing to offer, and nothing to keep.
    if (status(err) === 409 || status(err) === 410) {
      await state.delete(record.key).catch(() => {});
      return undefined;
    }
    // Not this caller's (another user signed in on this browser): not offered, but kept for its owner.
    if (status(err) === 404 || status(err) === 401 || status(err) === 403) return undefined;
    storedBytes = recordedBytes(record);
  }
  const upload: ResumableUpload = {
    id: record.id,
    route: record.route,
    ...file,
    storedBytes,
    expiresAt: record.expiresAt,
    key: record.key,
    checksumAlgorithm: record.algorithm ?? "sha256",
  };
  return { upload, updatedAt: record.updatedAt };
}

/**
 * The unfinished uploads in the state store that the gateway still has, newest first, each with
 * the bytes storage holds of it. Records of uploads that are finished, cancelled or expired are
 * removed; those of another user (one browser, two sign-ins) are not listed but kept. Empty when
 * the store cannot list its records.
 */
export async function listResumable(gateway: GatewayClient, state: StateStore): Promise<ResumableUpload[]> {
  if (!state.list) return [];
  const records = await state.list().catch(() => [] as ResumeRecord[]);
  const found = await Promise.all(records.map((record) => describe(gateway, state, record)));
  return found
    .filter((entry) => entry !== undefined)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .map((entry) => entry.upload);
}

/**
 * Whether `file` is the file `upload` was started with, by the client's own resume key: name,
 * size, last-modified time, then a hash (the whole file's up to 64 MiB, else its first 4 MiB'),
 * so that uploading it continues that upload.
 */
export async function isSameFile(file: UploadInput, upload: ResumableUpload): Promise<boolean> {
  const [entry] = toEntries(file);
  if (
    entry!.name !== upload.name ||
    entry!.size !== upload.size ||
    entry!.lastModified !== upload.lastModified
  ) {
    return false;
  }
  const algorithm = upload.checksumAlgorithm ?? "sha256";
  const hash =
    entry!.size <= HASH_FIRST_MAX
      ? wholeFileKeyHash(algorithm, await blobChecksum(algorithm, entry!.blob))
      : await fileFingerprint(entry!.blob);
  return resumeKey(entry!, hash) === upload.key;
}
