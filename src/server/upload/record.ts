import type { UploadRecord } from "../../core/protocol.js";
import type { UploadRow } from "../ledger/types.js";

/** An upload as the API reports it: verified size and type once verified, else the declared ones. */
export function toUploadRecord(row: UploadRow): UploadRecord {
  const record: UploadRecord = {
    id: row.id,
    route: row.route,
    name: row.name,
    key: row.key,
    status: row.status,
    size: row.verifiedSize ?? row.declaredSize,
    type: row.verifiedType ?? row.declaredType,
    createdAt: row.createdAt.toISOString(),
  };
  if (row.sha256 !== null) record.sha256 = row.sha256;
  // sha256, the default, stays implicit; a CRC route's record names its algorithm and value.
  if (row.checksumAlgorithm !== "sha256") {
    record.checksumAlgorithm = row.checksumAlgorithm;
    if (row.checksum !== null) record[row.checksumAlgorithm] = row.checksum;
  }
  if (row.reason !== null) record.reason = row.reason;
  if (row.completedAt !== null) record.completedAt = row.completedAt.toISOString();
  return record;
}
