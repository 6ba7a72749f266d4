/**
 * The invariants after a kill, and after the final sweep. Broken promises to clients (an object they
 * were told is verified that is gone or differs) go to lostOrCorrupted; every other broken
 * invariant to problems.
 */
import type { QuotaUsage, UploadRow } from "../../src/server/ledger/types.js";
import type { FaultTally, KnownUpload, Model } from "./model.js";

export interface Snapshot {
  rows: Map<string, UploadRow>;
  /** key -> hex SHA-256 of the bytes stored. */
  objects: Map<string, string>;
}

/** An upload a sweep may have completed by itself: PUT, once a sweep has run. */
const sweptPut = (u: KnownUpload, model: Model): boolean => u.put && model.sweeps > 0;

const STATUSES = new Set(["pending", "uploaded", "verified", "rejected", "expired", "aborted"]);

/**
 * After a restart: every answered create has its row; every upload answered "verified" is verified
 * with its exact bytes; "uploaded" or "verified" only where a complete was sent, or a sweep could
 * have completed it; rows nobody got an answer for are
 * pending (or expired, or aborted) with no object; every object is bytes a client PUT to its own key,
 * or a planted orphan.
 */
export function checkConsistency(s: Snapshot, model: Model, tally: FaultTally, label: string): void {
  const problem = (what: string) => tally.problems.push(`${label}: ${what}`);
  const lost = (what: string) => tally.lostOrCorrupted.push(`${label}: ${what}`);
  const byKey = new Map([...s.rows.values()].map((row) => [row.key, row]));
  for (const u of model.uploads.values()) {
    const row = s.rows.get(u.id);
    if (!row) {
      problem(`upload ${u.id} was created (201) but has no ledger row`);
      continue;
    }
    if (row.key !== u.key || row.userId !== u.userId) problem(`row ${u.id} has another key or user`);
    if (u.verified) {
      const sha = s.objects.get(u.key);
      if (row.status !== "verified") lost(`${u.id} was answered verified; the ledger says ${row.status}`);
      else if (sha === undefined) lost(`${u.key} was answered verified and is gone`);
      else if (sha !== u.sha256) lost(`${u.key} was answered verified and holds other bytes`);
      else tally.objectsVerified++;
      if (row.verifiedSize !== u.size)
        problem(`${u.id} verified with size ${row.verifiedSize}, PUT ${u.size}`);
    }
    if (u.closed && row.status !== "expired")
      problem(`${u.id} was refused as expired, the ledger says ${row.status}`);
    // Or a sweep completed it: it had been PUT (checked against its bytes below) and its URLs lapsed.
    if ((row.status === "uploaded" || row.status === "verified") && !u.completeSent && !sweptPut(u, model)) {
      problem(`${u.id} is ${row.status} although no complete was ever sent`);
    }
  }
  for (const row of s.rows.values()) {
    if (!STATUSES.has(row.status)) problem(`row ${row.id} has the unknown status ${row.status}`);
    if (row.status === "verified" && !s.objects.has(row.key)) lost(`verified row ${row.id} has no object`);
    if (model.uploads.has(row.id)) continue;
    // A create whose answer a kill cut off: nobody ever held its URLs.
    if (!["pending", "expired", "aborted"].includes(row.status)) {
      problem(`row ${row.id}, never answered to a client, is ${row.status}`);
    }
    if (s.objects.has(row.key)) problem(`row ${row.id}, never answered to a client, has an object`);
  }
  for (const [key, sha] of s.objects) {
    const planted = model.orphans.get(key);
    if (planted !== undefined) {
      if (planted !== sha) lost(`planted object ${key} changed`);
      continue;
    }
    const row = byKey.get(key);
    const u = row && model.uploads.get(row.id);
    if (!u) problem(`object ${key} belongs to no upload a client made`);
    else if (!u.put || u.sha256 !== sha) lost(`object ${key} holds bytes its client never PUT`);
  }
}

/**
 * After the final sweep: nothing pending or uploaded is left (no upload stuck), the bucket holds
 * exactly the verified uploads' objects and no open multipart upload, every upload a client PUT (and
 * that no sweep expired first) is verified, and each user's usage is exactly the verified bytes.
 */
export function checkReconciled(
  s: Snapshot,
  openUploads: readonly string[],
  usage: Map<string, QuotaUsage>,
  model: Model,
  tally: FaultTally,
  label: string,
): void {
  const problem = (what: string) => tally.problems.push(`${label}: ${what}`);
  checkConsistency(s, model, tally, label);
  const verifiedKeys = new Set<string>();
  for (const row of s.rows.values()) {
    if (row.status === "pending" || row.status === "uploaded")
      problem(`row ${row.id} is still ${row.status}`);
    if (row.status === "verified") verifiedKeys.add(row.key);
  }
  for (const key of s.objects.keys()) if (!verifiedKeys.has(key)) problem(`object ${key} survived the sweep`);
  for (const upload of openUploads) problem(`multipart upload ${upload} survived the sweep`);
  const expected = new Map<string, QuotaUsage>();
  for (const u of model.uploads.values()) {
    if (u.put && !u.closed && !u.verified) problem(`${u.id} was PUT but is not verified`);
    const name = `${u.userId} ${u.route}`;
    const sum = expected.get(name) ?? { bytes: 0, files: 0 };
    if (u.verified) expected.set(name, { bytes: sum.bytes + u.size, files: sum.files + 1 });
  }
  for (const [name, used] of usage) {
    const want = expected.get(name) ?? { bytes: 0, files: 0 };
    if (used.bytes !== want.bytes || used.files !== want.files) {
      problem(
        `${name}: the ledger counts ${JSON.stringify(used)} against the quota, verified uploads are ${JSON.stringify(want)}`,
      );
    }
  }
}
