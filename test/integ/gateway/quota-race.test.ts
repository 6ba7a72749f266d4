import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Ledger } from "../../../src/server/ledger/types.js";
import { createTestSchema, describePostgres } from "../../contract/ledger-postgres-env.js";
import { type ConfigOverrides, type Harness, json, signToken, startGateway } from "./support.js";

const CALLS = 200;
const SIZE = 1000;
/** Exactly 50 of the 200 one-file requests fit. */
const QUOTA_BYTES = 50 * SIZE;

const routes: ConfigOverrides["routes"] = {
  images: { types: ["image/png"], maxSize: "1MB", quota: { bytes: QUOTA_BYTES, period: "day" } },
};

/** Fires every create at once, spread round-robin over the gateways; returns the statuses. */
async function race(gateways: Harness[]): Promise<number[]> {
  const token = await signToken("racer");
  const body = { route: "images", files: [{ name: "r.png", type: "image/png", size: SIZE }] };
  const responses = await Promise.all(
    Array.from({ length: CALLS }, (_, i) =>
      gateways[i % gateways.length]!.api("/v1/uploads", { token, body }),
    ),
  );
  const statuses: number[] = [];
  for (const res of responses) {
    statuses.push(res.status);
    const body = await json(res);
    if (res.status === 429) expect(body.error.code).toBe("QUOTA_EXCEEDED");
  }
  return statuses;
}

async function expectQuotaHeld(gateways: Harness[], ledger: Ledger) {
  const statuses = await race(gateways);
  expect(statuses.filter((s) => s === 201)).toHaveLength(50);
  expect(statuses.filter((s) => s === 429)).toHaveLength(CALLS - 50);
  const usage = await ledger.usage("racer", "images", 86_400_000, new Date());
  expect(usage).toEqual({ bytes: QUOTA_BYTES, files: 50 });
  expect(usage.bytes).toBeLessThanOrEqual(QUOTA_BYTES);
}

describe("quota race on SQLite", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "upgate-gateway-race-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test(`${CALLS} concurrent POST /v1/uploads for one user never reserve past the quota`, async () => {
    const h = await startGateway({ ledger: `sqlite:${join(dir, "nested", "ledger.db")}`, routes });
    try {
      await expectQuotaHeld([h], h.gateway.ledger);
    } finally {
      await h.close();
    }
  });
});

describePostgres("quota race on Postgres, two gateways sharing one database", (url) => {
  test(`${CALLS} concurrent POST /v1/uploads over two instances never reserve past the quota`, async () => {
    const database = await createTestSchema(url);
    const ledgers = [database.open(), database.open()];
    const gateways: Harness[] = [];
    try {
      for (const ledger of ledgers) gateways.push(await startGateway({ ledger, routes }));
      await expectQuotaHeld(gateways, ledgers[0]!);
    } finally {
      await Promise.all(gateways.map((g) => g.close()));
      await Promise.all(ledgers.map((l) => l.close()));
      await database.dispose();
    }
  });
});
