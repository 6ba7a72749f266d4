/**
 * kill -9 of the gateway during create, during complete and during sweep, then restart: the gateway
 * runs in a child process on a SQLite file (and on Postgres when UPGATE_TEST_POSTGRES_URL is set),
 * the store in another process that keeps running. After every restart the ledger and the bucket are
 * checked against what the clients were told (checks.ts); after the last one a full sweep must leave
 * them in exact agreement, with no upload stuck and each quota counting exactly the verified bytes.
 * Kill timings are seeded (UPGATE_FAULT_SEED replays a run); `npm run faults` runs many more kills.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { describePostgres } from "../contract/ledger-postgres-env.js";
import { seeded } from "../integ/store/crash-data.js";
import { bundleStoreChild, killAllChildren } from "../integ/store/crash-process.js";
import { bundleGatewayChild } from "./gateway-process.js";
import { runKills } from "./kill-runner.js";
import { addTally, newTally } from "./model.js";
import { completePhase, createPhase, type Phase, sweepPhase } from "./phases.js";
import { describeTally, LONG, recordTotals } from "./report.js";
import { type LedgerKind, World } from "./world.js";

const SEED = Number(process.env.UPGATE_FAULT_SEED ?? 20_261_128);

function killSuite(label: string, kind: () => LedgerKind, kills: number): void {
  let dir = "";
  const scripts = { store: "", gateway: "" };
  const totals = newTally();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "upgate-faults-"));
    scripts.store = await bundleStoreChild(dir);
    scripts.gateway = await bundleGatewayChild();
  });

  afterAll(async () => {
    killAllChildren();
    await rm(dir, { recursive: true, force: true });
    if (scripts.gateway) await rm(dirname(scripts.gateway), { recursive: true, force: true });
    console.log(describeTally(`${label} (seed ${SEED})`, totals));
    recordTotals(label, totals);
  });

  const phases: Array<[Phase, number]> = [
    [createPhase, SEED],
    [completePhase, SEED + 1],
    [sweepPhase, SEED + 2],
  ];
  for (const [phase, seed] of phases) {
    test(
      `${kills} kills during ${phase.name}, then a full reconciliation`,
      async () => {
        const world = await World.open(label, join(dir, phase.name), scripts, kind());
        try {
          await runKills(world, phase, kills, seeded(seed));
        } finally {
          addTally(totals, world.tally);
          await world.close();
        }
        const t = world.tally;
        expect(t.lostOrCorrupted).toEqual([]);
        expect(t.problems).toEqual([]);
        expect(t.kills).toBe(kills);
        expect(t.killsSurvived).toBe(kills);
        expect(t.interrupted + t.sweepsCut, "requests or sweeps cut off by the kills").toBeGreaterThan(0);
        expect(t.objectsVerified, "verified objects re-read after restarts").toBeGreaterThan(0);
        if (phase.name === "complete")
          expect(t.completesRetried, "completes retried after a kill").toBeGreaterThan(0);
      },
      LONG ? 600_000 : 60_000,
    );
  }
}

describe("gateway under kill -9, SQLite ledger", () => {
  killSuite("kill -9, SQLite ledger", () => ({ kind: "sqlite" }), LONG ? 17 : 2);
});

describePostgres("gateway under kill -9, Postgres ledger", (url) => {
  killSuite("kill -9, Postgres ledger", () => ({ kind: "postgres", url }), LONG ? 17 : 1);
});
