/**
 * Kill rounds on one world: start the gateway, check the ledger and the bucket against the clients'
 * model, let the clients retry what a kill interrupted, prepare, start the phase's workload, SIGKILL
 * the gateway after a seeded delay, and start again. A last start checks, runs a full sweep, and
 * checks that the ledger and the bucket agree exactly, and that the quota counts what it should.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Random } from "../integ/store/crash-data.js";
import { checkConsistency, checkReconciled } from "./checks.js";
import { completeUpload, deleteUpload, type GatewayTarget, probeCreate } from "./client.js";
import { FAULT_BUCKET, FAULT_ROUTES, QUOTA_BYTES } from "./gateway-config.js";
import type { GatewayChild } from "./gateway-process.js";
import { openMultipartUploads } from "./inspect.js";
import { type Phase, SWEEP_AHEAD_MS } from "./phases.js";
import { USERS, type World } from "./world.js";

const target = (g: GatewayChild): GatewayTarget => ({ url: g.url, killed: () => g.killed });

/** The checks after a (re)start, then the clients' retries of the completes the kill cut off. */
async function afterRestart(w: World, g: GatewayChild, phase: Phase, label: string): Promise<void> {
  checkConsistency(await w.snapshot(), w.model, w.tally, label);
  const t = target(g);
  const waiting = w.model.awaitingComplete();
  for (let i = 0; i < waiting.length; i += 8) {
    await Promise.all(
      waiting.slice(i, i + 8).map(async (u) => {
        if ((await completeUpload(w.ctx, t, u, phase.sweeping)) === "verified") w.tally.completesRetried++;
      }),
    );
  }
}

export async function runKills(w: World, phase: Phase, kills: number, random: Random): Promise<void> {
  for (let round = 0; round < kills; round++) {
    const g = await w.startGateway();
    try {
      const label = `${w.name} ${phase.name} round ${round}`;
      const before = w.tally.problems.length + w.tally.lostOrCorrupted.length;
      await afterRestart(w, g, phase, label);
      if (round > 0 && w.tally.problems.length + w.tally.lostOrCorrupted.length === before)
        w.tally.killsSurvived++;
      const t = target(g);
      const prepared = await phase.prepare(w, t, random);
      const kill = sleep(phase.killDelayMs(random)).then(() => g.kill());
      await Promise.all([kill, ...phase.workload(w, t, random, prepared, g)]);
      w.tally.kills++;
    } finally {
      if (!g.killed) await g.kill();
    }
  }
  await reconcile(w, phase, kills);
}

/** The last start: checks, a full sweep a month ahead, the exact agreement, and the quota probes. */
async function reconcile(w: World, phase: Phase, kills: number): Promise<void> {
  const g = await w.startGateway();
  try {
    const label = `${w.name} ${phase.name} after the last kill`;
    const before = w.tally.problems.length + w.tally.lostOrCorrupted.length;
    await afterRestart(w, g, phase, label);
    if (kills > 0 && w.tally.problems.length + w.tally.lostOrCorrupted.length === before)
      w.tally.killsSurvived++;
    w.model.sweeps++;
    await g.sweep(Date.now() + SWEEP_AHEAD_MS, 1000);
    checkReconciled(
      await w.snapshot(),
      await openMultipartUploads(w.s3, FAULT_BUCKET),
      await w.usage(),
      w.model,
      w.tally,
      `${w.name} ${phase.name} after the final sweep`,
    );
    await probeQuotas(w, target(g), `${w.name} ${phase.name} quota`);
  } finally {
    await g.kill();
  }
}

/**
 * Through the API: each user may still reserve exactly the quota minus the bytes of their verified
 * uploads, and not one byte more. A leaked reservation, or one released too early, fails this.
 */
async function probeQuotas(w: World, g: GatewayTarget, label: string): Promise<void> {
  for (const user of USERS) {
    for (const route of Object.keys(FAULT_ROUTES)) {
      const used = [...w.model.uploads.values()]
        .filter((u) => u.userId === user && u.route === route && u.verified)
        .reduce((sum, u) => sum + u.size, 0);
      const over = await probeCreate(w.ctx, g, user, route, QUOTA_BYTES - used + 1);
      if (over.status !== 429 || over.body.error?.code !== "QUOTA_EXCEEDED") {
        w.tally.problems.push(`${label}: ${user} ${route}: one byte over the quota answered ${over.status}`);
      }
      const exact = await probeCreate(w.ctx, g, user, route, QUOTA_BYTES - used);
      if (exact.status !== 201) {
        w.tally.problems.push(
          `${label}: ${user} ${route}: exactly the quota left answered ${exact.status} ${JSON.stringify(exact.body)}`,
        );
        continue;
      }
      const released = await deleteUpload(w.ctx, g, user, exact.body.uploads[0].id);
      if (released?.status !== 200)
        w.tally.problems.push(`${label}: deleting the probe answered ${released?.status}`);
    }
  }
}
