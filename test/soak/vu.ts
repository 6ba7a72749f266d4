import { createHash } from "node:crypto";
import { isUploadError } from "../../src/client/errors.js";
import { createUploader, memoryStateStore, type Uploader } from "../../src/client/index.js";
import { signToken } from "../integ/gateway/support.js";
import type { ByteBudget } from "./budget.js";
import { MULTIPART_THRESHOLD, makeFile, pickSize } from "./files.js";
import type { LedgerView } from "./ledger-view.js";
import { between, type Random, seededRandom } from "./random.js";
import type { SoakQuota } from "./route.js";
import type { Tally } from "./tally.js";

export interface VuContext {
  gatewayUrl: string;
  route: string;
  quota: SoakQuota;
  maxFileSize: number;
  abortRate: number;
  /** No new upload starts after this (epoch ms). */
  deadline: number;
  seed: number;
  jwtSecret: string;
  budget: ByteBudget;
  view: LedgerView;
  tally: Tally;
}

const RETRY = { retries: 6, baseDelayMs: 100, maxDelayMs: 2_000 };

/** Every tenth user runs this many uploads at once, racing its own quota across instances. */
export const PARALLEL_LANES = 3;
export const isParallelUser = (index: number) => index % 10 === 9;

interface User {
  userId: string;
  index: number;
  auth: Record<string, string>;
  /** Verified uploads the user still holds: id -> size. */
  held: Map<string, number>;
  /** One upload at a time, so the ledger's figures for this user can be checked exactly. */
  sequential: boolean;
  nextFile: number;
}

/**
 * One virtual user: uploads until the deadline, deleting files now and then and whenever the quota
 * refuses one. Most users upload one file at a time; every tenth runs three uploads at once.
 */
export async function runVirtualUser(ctx: VuContext, index: number): Promise<void> {
  const userId = `soak-user-${index}`;
  const token = await signToken(userId, { expiresIn: "2h", secret: ctx.jwtSecret });
  const auth = { authorization: `Bearer ${token}` };
  const uploader = createUploader({
    endpoint: ctx.gatewayUrl,
    headers: auth,
    fetch: timedFetch(ctx),
    stateStore: memoryStateStore(),
    retry: RETRY,
    stallTimeoutMs: 30_000,
  });
  const lanes = isParallelUser(index) ? PARALLEL_LANES : 1;
  const user: User = { userId, index, auth, held: new Map(), sequential: lanes === 1, nextFile: 0 };
  await Promise.all(
    Array.from({ length: lanes }, (_, lane) =>
      runLane(ctx, uploader, user, seededRandom(ctx.seed * 100_003 + index * 8 + lane)),
    ),
  );
}

async function runLane(ctx: VuContext, uploader: Uploader, user: User, random: Random): Promise<void> {
  // Users start spread over the first second, not all at once.
  await new Promise((resolve) => setTimeout(resolve, random() * 1_000));
  while (Date.now() < ctx.deadline) {
    if (user.held.size > 0 && random() < 0.15) {
      await deleteOne(ctx, uploader, user.held, random);
      continue;
    }
    const size = pickSize(random, ctx.maxFileSize);
    const fileIndex = user.index * 1_000_000 + user.nextFile++;
    await ctx.budget.take(size);
    try {
      await uploadOne(ctx, uploader, { user, random, size, fileIndex });
    } finally {
      ctx.budget.give(size);
    }
  }
}

interface Upload {
  user: User;
  random: Random;
  size: number;
  fileIndex: number;
}

async function uploadOne(ctx: VuContext, uploader: Uploader, u: Upload): Promise<void> {
  const { tally } = ctx;
  const { file, sha256 } = makeFile(ctx.seed, u.fileIndex, u.size);
  tally.attempted++;
  const controller = new AbortController();
  const abortTimer =
    u.random() < ctx.abortRate
      ? setTimeout(() => controller.abort(), between(u.random, 0, 200 + Math.round(u.size / 4096)))
      : undefined;
  const task = uploader.start(file, {
    route: ctx.route,
    signal: controller.signal,
    onRetry: () => {
      tally.retries++;
    },
  });
  try {
    const [record] = await task.done;
    if (!record) throw new Error("upload() resolved without a record");
    clearTimeout(abortTimer);
    tally.verified++;
    tally.verifiedBytes += u.size;
    if (u.size > MULTIPART_THRESHOLD) tally.multipart++;
    tally.expected.set(record.id, { sha256, size: u.size, userId: u.user.userId });
    if (record.status !== "verified" || record.sha256 !== sha256 || record.size !== u.size) {
      tally.sha256Mismatches.push({
        id: record.id,
        expected: `${sha256} (${u.size} B)`,
        got: `${record.sha256} (${record.size} B, ${record.status})`,
        where: "record",
      });
    }
    await checkDownload(ctx, uploader, u, record.id, sha256);
    // Held (so deletable, by any lane) only once it has been checked.
    u.user.held.set(record.id, u.size);
  } catch (err) {
    clearTimeout(abortTimer);
    if (!isUploadError(err)) throw err;
    if (err.code === "ABORTED" && controller.signal.aborted) {
      tally.aborted++;
      // The abort can land after the gateway verified the file: then the user holds it like any other.
      for (const [id, status] of await ctx.view.statuses(task.uploadIds)) {
        if (status === "verified") {
          u.user.held.set(id, u.size);
          tally.expected.set(id, { sha256, size: u.size, userId: u.user.userId });
        } else if (status === "pending" || status === "uploaded") {
          tally.abortedStillHolding++;
          tally.abandoned.set(id, { sha256, size: u.size, userId: u.user.userId });
        }
      }
    } else if (err.serverCode === "QUOTA_EXCEEDED") {
      tally.quotaRefused++;
      await checkRefusal(ctx, u, err.details);
      await makeRoom(ctx, uploader, u);
    } else {
      tally.failures.push({
        userId: u.user.userId,
        size: u.size,
        code: err.code,
        ...(err.serverCode === undefined ? {} : { serverCode: err.serverCode }),
        ...(err.status === undefined ? {} : { status: err.status }),
        message: err.message,
      });
    }
  }
}

/**
 * A refusal is correct when it leaves no room for the file. For a user uploading one file at a
 * time, the ledger's holding (read now: nothing of this user's changed since) must also be exactly
 * what the gateway reported, and include every file the user knows it holds. For a user racing
 * itself, the gateway's own figures must leave no room (overruns are caught by the ledger samples).
 */
async function checkRefusal(ctx: VuContext, u: Upload, details: Record<string, unknown> | undefined) {
  const used = (details?.used ?? {}) as { bytes?: number; files?: number };
  const refusedWith = { bytes: used.bytes ?? Number.NaN, files: used.files ?? Number.NaN };
  const noRoomFor = (held: { bytes: number; files: number }) =>
    held.bytes + u.size > ctx.quota.bytes || held.files + 1 > ctx.quota.files;
  const known = { bytes: [...u.user.held.values()].reduce((a, b) => a + b, 0), files: u.user.held.size };
  if (!u.user.sequential) {
    if (!noRoomFor(refusedWith))
      ctx.tally.wrongRefusals.push({
        userId: u.user.userId,
        size: u.size,
        refusedWith,
        ledger: refusedWith,
        known,
      });
    return;
  }
  const ledger = await ctx.view.held(u.user.userId, ctx.route);
  const consistent =
    refusedWith.bytes === ledger.bytes &&
    refusedWith.files === ledger.files &&
    ledger.bytes >= known.bytes &&
    ledger.files >= known.files;
  if (!noRoomFor(ledger) || !consistent) {
    ctx.tally.wrongRefusals.push({ userId: u.user.userId, size: u.size, refusedWith, ledger, known });
  }
  if (ledger.files > known.files) ctx.tally.refusedWithUnseenReservations++;
}

/** After a refusal: delete held files, oldest first, until this size would fit (or none are left). */
async function makeRoom(ctx: VuContext, uploader: Uploader, u: Upload) {
  for (const [id, size] of [...u.user.held]) {
    const bytes = [...u.user.held.values()].reduce((a, b) => a + b, 0);
    if (bytes + u.size <= ctx.quota.bytes && u.user.held.size < ctx.quota.files) break;
    if (!u.user.held.delete(id)) continue;
    if (!(await deleteUpload(ctx, uploader, id))) u.user.held.set(id, size);
  }
}

/** Deletes a random held file (taken out of `held` first, so parallel lanes never delete the same one). */
async function deleteOne(ctx: VuContext, uploader: Uploader, held: Map<string, number>, random: Random) {
  const ids = [...held.keys()];
  const id = ids[Math.floor(random() * ids.length)]!;
  const size = held.get(id)!;
  held.delete(id);
  if (!(await deleteUpload(ctx, uploader, id))) held.set(id, size);
}

/** DELETE /v1/uploads/:id, retried: it is idempotent, and the proxy may cut it. */
async function deleteUpload(ctx: VuContext, uploader: Uploader, id: string): Promise<boolean> {
  for (let attempt = 0; attempt < 6; attempt++) {
    try {
      await uploader.abort(id);
      ctx.tally.deleted++;
      ctx.tally.expected.delete(id);
      return true;
    } catch (err) {
      if (!isUploadError(err) || !err.retryable) break;
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
  ctx.tally.deleteFailures++;
  return false;
}

/** GET /v1/files/:id (302) then the signed storage URL; the body's SHA-256 must be the uploaded one. */
async function checkDownload(ctx: VuContext, uploader: Uploader, u: Upload, id: string, sha256: string) {
  let lastError = "";
  for (let attempt = 0; attempt < 6; attempt++) {
    try {
      const redirect = await fetch(uploader.fileUrl(id), { headers: u.user.auth, redirect: "manual" });
      const location = redirect.headers.get("location");
      await redirect.body?.cancel();
      if (redirect.status !== 302 || !location) throw new Error(`GET /v1/files answered ${redirect.status}`);
      const res = await fetch(location);
      if (!res.ok || !res.body) throw new Error(`storage GET answered ${res.status}`);
      const hash = createHash("sha256");
      for await (const chunk of res.body) hash.update(chunk);
      const got = hash.digest("base64");
      ctx.tally.downloads++;
      if (got !== sha256) ctx.tally.sha256Mismatches.push({ id, expected: sha256, got, where: "download" });
      return;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
  ctx.tally.downloadFailures.push({
    userId: u.user.userId,
    size: u.size,
    code: "DOWNLOAD",
    message: lastError,
  });
}

/** fetch for the uploader that times successful create and complete calls (to the response head). */
function timedFetch(ctx: VuContext): typeof fetch {
  const createUrl = `${ctx.gatewayUrl}/v1/uploads`;
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const kind =
      init?.method === "POST" && url.startsWith(createUrl)
        ? url === createUrl
          ? "create"
          : url.endsWith("/complete")
            ? "complete"
            : undefined
        : undefined;
    if (!kind) return fetch(input, init);
    const started = performance.now();
    const res = await fetch(input, init);
    if (res.ok) ctx.tally.latency[kind].push(performance.now() - started);
    return res;
  };
}
