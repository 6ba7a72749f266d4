import { UpgateError } from "../../../core/errors.js";
import type { CompleteRequest, UploadRecord } from "../../../core/protocol.js";
import type { Services } from "../../context.js";
import type { UploadRow } from "../../ledger/types.js";
import { concurrentChange, uploadNotFound } from "../errors.js";
import { toUploadRecord } from "../record.js";
import { afterVerified, type Completer } from "./after-verified.js";
import type { CompleteChecksums } from "./multipart-checksums.js";
import { finishMultipart } from "./multipart-finish.js";
import { claimLease } from "./verification-lease.js";
import { rejectionError, verifyUpload } from "./verify-upload.js";

/** Rounds of a row other calls keep changing under us before giving up. */
const MAX_ATTEMPTS = 3;
/** Polling another instance's verification: first wait, doubling up to the last. */
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 500;
/** The longest a complete waits for another instance's verification before answering 409. */
const MAX_WAIT_MS = 120_000;

/** What the complete request (or the sweeper) that runs the verification brings to it. */
export interface CompleteInput {
  parts: CompleteRequest["parts"];
  checksums: CompleteChecksums | undefined;
  /** Who completes: told to the route's hook and webhook. */
  by: Completer;
}

/**
 * The answer the ledger already holds: the record of a verified upload; the rejection (422 with its
 * code) or UPLOAD_STATE_CONFLICT for an expired or aborted one, thrown. Undefined while the upload
 * is still "pending" or "uploaded".
 */
export function settledAnswer(row: UploadRow): UploadRecord | undefined {
  if (row.status === "verified") return toUploadRecord(row);
  if (row.status === "rejected") throw rejectionError(row);
  if (row.status === "expired" || row.status === "aborted") {
    throw new UpgateError(
      "UPLOAD_STATE_CONFLICT",
      `This upload is ${row.status} and can no longer be completed`,
      {
        details: { status: row.status },
      },
    );
  }
  return undefined;
}

/**
 * Completes upload `id` with at most one verification at a time across every instance: the caller
 * that claims the row's verification lease verifies; the others wait (polling the row) until it
 * leaves "uploaded" and answer from it, or take the lease over once a dead holder's lease ends.
 * Run through the gateway's single flight, so one process has one caller here per upload.
 */
export async function completeOnce(s: Services, id: string, input: CompleteInput): Promise<UploadRecord> {
  const leaseId = crypto.randomUUID();
  const deadline = Date.now() + MAX_WAIT_MS;
  let pollMs = FIRST_POLL_MS;
  let attempts = 0;
  let waited = false;
  for (;;) {
    const row = await s.ledger.get(id);
    if (!row) throw uploadNotFound(id);
    const settled = settledAnswer(row);
    if (settled) return settled;
    if (row.status === "pending" && waited) throw notUploadedElsewhere(id);
    const uploaded = row.status === "uploaded" ? row : await s.ledger.transition(id, ["pending"], "uploaded");
    const lease = uploaded && (await claimLease(s.ledger, id, leaseId));
    if (lease) {
      try {
        const upload = await verifyHeld(s, lease.row, input);
        if (upload) return upload;
      } finally {
        await lease.release();
      }
    }
    if (!uploaded || lease) {
      // Another call moved the row meanwhile: its outcome, read on the next round, is the answer.
      if (++attempts >= MAX_ATTEMPTS) throw concurrentChange();
      continue;
    }
    waited = true;
    if (Date.now() >= deadline) throw stillVerifying();
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
  }
}

/**
 * The lease holder's work: finish a multipart upload (an incomplete one goes back to "pending"),
 * verify, and on success run the route's hook and webhook. Undefined when another call changed the
 * row first.
 */
export async function verifyHeld(
  s: Services,
  row: UploadRow,
  input: CompleteInput,
): Promise<UploadRecord | undefined> {
  if (row.strategy === "multipart") {
    try {
      await finishMultipart(s.storage, row, input.parts, input.checksums?.whole);
    } catch (err) {
      if (err instanceof UpgateError && err.code === "UPLOAD_NOT_UPLOADED") {
        await s.ledger.transition(row.id, ["uploaded"], "pending");
      }
      throw err;
    }
  }
  const outcome = await verifyUpload(s, row, input.checksums);
  if (!("verified" in outcome)) return undefined;
  const upload = toUploadRecord(outcome.verified);
  const route = s.config.routes.get(row.route);
  await afterVerified(s, route, outcome.verified, upload, input.by);
  return upload;
}

function stillVerifying(): UpgateError {
  return new UpgateError(
    "UPLOAD_STATE_CONFLICT",
    "Another request is still verifying this upload; complete again later for its verdict",
    { details: { status: "uploaded", retryAfterSeconds: 5 } },
  );
}

function notUploadedElsewhere(id: string): UpgateError {
  return new UpgateError(
    "UPLOAD_NOT_UPLOADED",
    "A concurrent complete found the upload not (fully) in storage: upload it, then complete again",
    { details: { id } },
  );
}
