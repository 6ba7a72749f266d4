/**
 * CompleteMultipartUpload of two uploads at once (a 5 MiB part and a smaller last one, or a single
 * part), killed at a random moment inside an adaptive window that keeps kills in the middle of the
 * completes. After each start: an upload is either gone with its object in place, or still listed
 * with every part as uploaded; some listed ones are aborted, and the rest completed in a later round.
 */

import { createHash } from "node:crypto";
import {
  AbortMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  NoSuchUpload,
} from "@aws-sdk/client-s3";
import { completeUpload, getObject, type PlannedUpload, startUpload } from "./crash-http.js";
import type { Op } from "./crash-model.js";
import { attempt, type RoundContext, type Scenario } from "./crash-runner.js";

const MIB = 1024 * 1024;
const SLOTS = ["mp/0", "mp/1"];

interface Tracked extends PlannedUpload {
  complete: Op | undefined;
  acknowledged: boolean;
}

async function listedUploads(ctx: RoundContext): Promise<Map<string, string>> {
  const out = await ctx.s3.send(new ListMultipartUploadsCommand({ Bucket: ctx.t.bucket, Prefix: "mp/" }));
  if (out.IsTruncated) throw new Error("more uploads than one page");
  return new Map((out.Uploads ?? []).map((u) => [u.UploadId!, u.Key!]));
}

async function partsIntact(ctx: RoundContext, upload: Tracked): Promise<boolean> {
  const { Parts = [] } = await ctx.s3.send(
    new ListPartsCommand({ Bucket: ctx.t.bucket, Key: upload.version.key, UploadId: upload.uploadId }),
  );
  return (
    Parts.length === upload.parts.length &&
    Parts.every(
      (p, i) =>
        p.PartNumber === i + 1 && p.ETag === upload.parts[i]!.etag && p.Size === upload.parts[i]!.size,
    )
  );
}

export function multipartScenario(rounds: number): Scenario {
  const open = new Map<string, Tracked>();
  /** Kills fall in [0, window] ms after the completes are sent; the window follows how long they take. */
  let window = 150;

  /** Checks every tracked upload against what the store lists now. */
  async function check(ctx: RoundContext): Promise<void> {
    const listed = await listedUploads(ctx);
    const problems = ctx.tally.problems;
    const outcomes = [...open.values()].filter((u) => u.complete).map((u) => u.acknowledged);
    if (outcomes.length > 0 && outcomes.every(Boolean)) window = Math.max(10, window * 0.7);
    if (outcomes.length > 0 && !outcomes.some(Boolean)) window = Math.min(3000, window * 1.4);
    for (const [slot, upload] of open) {
      const label = `multipart round ${ctx.round} ${slot} upload ${upload.uploadId}`;
      if (listed.delete(upload.uploadId)) {
        if (upload.acknowledged) problems.push(`${label}: Complete acknowledged, yet still listed`);
        else if (!(await partsIntact(ctx, upload))) problems.push(`${label}: parts not as uploaded`);
        else ctx.tally.uploadsVerified++;
        upload.complete = undefined;
      } else {
        if (!upload.complete) problems.push(`${label}: vanished without a Complete`);
        else if (ctx.found.get(slot) !== upload.version.sha)
          problems.push(`${label}: gone, but ${slot} does not hold its object`);
        open.delete(slot);
      }
    }
    for (const [id, key] of listed)
      problems.push(`multipart round ${ctx.round}: unknown upload ${id} (${key})`);
  }

  async function abort(ctx: RoundContext, slot: string, upload: Tracked): Promise<void> {
    const { bucket } = ctx.t;
    const { key } = upload.version;
    await ctx.s3.send(
      new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: upload.uploadId }),
    );
    open.delete(slot);
    const gone = await ctx.s3
      .send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: upload.uploadId }))
      .then(
        () => false,
        (err: unknown) => err instanceof NoSuchUpload,
      );
    if (!gone)
      ctx.tally.problems.push(`multipart round ${ctx.round}: ${upload.uploadId} still there after Abort`);
  }

  /** The last start: every upload left is completed (no kill) and its object read back. */
  async function finish(ctx: RoundContext): Promise<void> {
    for (const [slot, upload] of open) {
      await completeUpload(ctx.t, upload);
      const got = await getObject(ctx.t, slot);
      const sha = got && createHash("sha256").update(got.bytes).digest("hex");
      if (sha === upload.version.sha) ctx.tally.objectsVerified++;
      else ctx.tally.problems.push(`multipart final: ${slot} completed from surviving parts holds ${sha}`);
    }
    open.clear();
    const left = await listedUploads(ctx);
    if (left.size > 0) ctx.tally.problems.push(`multipart final: uploads left: ${[...left.keys()]}`);
  }

  return {
    name: "CompleteMultipartUpload",
    prefix: "mp/",
    rounds,
    async afterStart(ctx, last) {
      await check(ctx);
      if (last) return finish(ctx);
      for (const [slot, upload] of [...open]) if (ctx.random.int(0, 3) === 0) await abort(ctx, slot, upload);
      for (const slot of SLOTS) {
        if (open.has(slot)) continue;
        const single = ctx.random.int(0, 3) === 0;
        const tail = ctx.random.int(1024, single ? MIB : MIB / 2);
        const version = ctx.versions.create(
          slot,
          single ? tail : 5 * MIB + tail,
          single ? [tail] : [5 * MIB, tail],
        );
        const planned = await startUpload(ctx.t, version, single ? [tail] : [5 * MIB, tail]);
        open.set(slot, { ...planned, complete: undefined, acknowledged: false });
      }
    },
    killDelayMs: (random) => random.int(0, Math.round(window)),
    workload: (ctx) =>
      [...open.values()].map(async (upload) => {
        upload.complete = ctx.history.begin(upload.version.key, upload.version.sha);
        const what = `Complete ${upload.version.key}`;
        upload.acknowledged = await attempt(ctx, [upload.complete], what, () =>
          completeUpload(ctx.t, upload),
        );
      }),
  };
}
