import { RESERVED_METADATA_PREFIX } from "../../../core/policy/metadata.js";
import { s3KeyProblem } from "../../../core/policy/s3-key.js";
import type { Services } from "../../context.js";
import type { UploadRow } from "../../ledger/types.js";

/**
 * Removes a rejected object: deleted, or first copied under the quarantine prefix. An object whose
 * upgate metadata (uploader, upload id) does not match was not written through this upload's
 * signature (a signed upload cannot change it), so it is not provably ours and is left alone. Any
 * other metadata mismatch (a name the URL did not sign, added by whoever held it) is on this
 * upload's own object: it is removed. Failures are logged: the sweeper deletes objects that no
 * verified upload owns.
 */
export async function disposeRejected(
  s: Pick<Services, "config" | "storage" | "log">,
  row: UploadRow,
  code: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  const name = details.name;
  if (
    code === "VERIFY_METADATA_MISMATCH" &&
    typeof name === "string" &&
    name.startsWith(RESERVED_METADATA_PREFIX)
  ) {
    s.log.warn("rejected upload's object left in place: its uploader metadata is not this upload's", {
      uploadId: row.id,
      key: row.key,
    });
    return;
  }
  try {
    const prefix = s.config.quarantinePrefix;
    if (prefix !== undefined) {
      const target = `${prefix}${row.key}`;
      if (s3KeyProblem(target) === undefined) await s.storage.copy(row.key, target);
      else
        s.log.warn("rejected object not quarantined: the quarantine key would be too long", {
          uploadId: row.id,
        });
    }
    await s.storage.delete(row.key);
  } catch (err) {
    s.log.error("could not remove a rejected object; the sweeper will", err, {
      uploadId: row.id,
      key: row.key,
    });
  }
}
