/**
 * The three kill phases: what runs while the gateway is killed, and when the kill comes. Each phase
 * prepares acknowledged work after the restart (outside the kill window), then starts concurrent
 * clients (and, for "sweep", a sweep in the gateway) and SIGKILLs the gateway after a seeded delay.
 */
import { createHash, randomBytes } from "node:crypto";
import { CreateMultipartUploadCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { Random } from "../integ/store/crash-data.js";
import { type Created, completeUpload, createUploads, type GatewayTarget, putBytes } from "./client.js";
import { FAULT_BUCKET } from "./gateway-config.js";
import type { GatewayChild } from "./gateway-process.js";
import { USERS, type World } from "./world.js";

export type PhaseName = "create" | "complete" | "sweep";

export interface Phase {
  name: PhaseName;
  /** A sweep runs concurrently with the clients: a 409 for an expired upload is a right answer. */
  sweeping: boolean;
  killDelayMs(random: Random): number;
  /** Acknowledged work before the kill window. */
  prepare(w: World, g: GatewayTarget, random: Random): Promise<Created[]>;
  /** What runs until the kill. */
  workload(
    w: World,
    g: GatewayTarget,
    random: Random,
    prepared: Created[],
    child: GatewayChild,
  ): Array<Promise<void>>;
}

const KiB = 1024;
const ROUTES = ["files", "parts"] as const;
const sizes = (random: Random, count: number) => Array.from({ length: count }, () => random.int(1, 48 * KiB));

/** A client that creates, PUTs and (sometimes) completes, again and again, until the kill. */
async function cycle(
  w: World,
  g: GatewayTarget,
  random: Random,
  userId: string,
  completeShare: number,
  sweeping: boolean,
) {
  while (!g.killed()) {
    const created = await createUploads(
      w.ctx,
      g,
      userId,
      random.pick(ROUTES),
      sizes(random, random.int(1, 3)),
    );
    if (!created) continue;
    for (const c of created) await putBytes(w.ctx, c, g);
    if (random.int(1, 100) > completeShare) continue;
    await Promise.all(created.map((c) => completeUpload(w.ctx, g, c.upload, sweeping)));
  }
}

async function createAndPut(
  w: World,
  g: GatewayTarget,
  random: Random,
  userId: string,
  route: string,
  count: number,
) {
  const created = await createUploads(w.ctx, g, userId, route, sizes(random, count));
  if (!created) throw new Error(`a create before the kill window failed: ${w.tally.problems.at(-1)}`);
  for (const c of created) await putBytes(w.ctx, c, g);
  return created;
}

export const createPhase: Phase = {
  name: "create",
  sweeping: false,
  killDelayMs: (random) => random.int(30, 400),
  prepare: async () => [],
  workload: (w, g, random) => USERS.map((user) => cycle(w, g, random, user, 30, false)),
};

export const completePhase: Phase = {
  name: "complete",
  sweeping: false,
  killDelayMs: (random) => random.int(5, 150),
  async prepare(w, g, random) {
    const all: Created[] = [];
    for (const user of USERS) {
      for (const route of ROUTES)
        all.push(...(await createAndPut(w, g, random, user, route, random.int(1, 3))));
    }
    return all;
  },
  workload(w, g, _random, prepared) {
    return USERS.map(async (user) => {
      for (const c of prepared.filter((p) => p.upload.userId === user)) {
        if (g.killed()) return;
        await completeUpload(w.ctx, g, c.upload, false);
      }
    });
  },
};

/** A month ahead: every upload's URLs (and the grace period) are past, every object old enough. */
export const SWEEP_AHEAD_MS = 30 * 24 * 3600 * 1000;

export const sweepPhase: Phase = {
  name: "sweep",
  sweeping: true,
  killDelayMs: (random) => random.int(10, 250),
  async prepare(w, g, random) {
    for (const user of USERS) {
      // One verified upload the sweep must keep, one never PUT (it expires), one PUT but never
      // completed and a multipart upload with its part, never completed (the sweep verifies both).
      const [kept] = await createAndPut(w, g, random, user, "files", 1);
      if ((await completeUpload(w.ctx, g, kept!.upload, false)) !== "verified")
        throw new Error("complete failed before the kill window");
      await createUploads(w.ctx, g, user, "files", sizes(random, 1));
      await createAndPut(w, g, random, user, "files", 1);
      await createAndPut(w, g, random, user, "parts", 1);
    }
    for (let i = 0; i < 3; i++) {
      const key = `files/orphans/${randomBytes(8).toString("hex")}`;
      const body = randomBytes(random.int(1, 8 * 1024));
      await w.s3.send(new PutObjectCommand({ Bucket: FAULT_BUCKET, Key: key, Body: body }));
      w.model.orphans.set(key, createHash("sha256").update(body).digest("hex"));
    }
    await w.s3.send(
      new CreateMultipartUploadCommand({
        Bucket: FAULT_BUCKET,
        Key: `parts/orphans/${randomBytes(8).toString("hex")}`,
      }),
    );
    return [];
  },
  workload(w, g, random, _prepared, child) {
    w.model.sweeps++;
    const sweep = child.sweep(Date.now() + SWEEP_AHEAD_MS, 4).then(
      () => {},
      (error: unknown) => {
        if (!g.killed()) throw error;
        w.tally.sweepsCut++;
      },
    );
    return [sweep, ...USERS.slice(0, 2).map((user) => cycle(w, g, random, user, 70, true))];
  },
};
