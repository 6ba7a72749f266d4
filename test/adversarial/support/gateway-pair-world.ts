import pg from "pg";
import { createGateway, type Gateway } from "../../../src/server/gateway.js";
import { createPostgresLedger } from "../../../src/server/ledger/postgres.js";
import type { Ledger } from "../../../src/server/ledger/types.js";
import { gatewayApi, JWT_SECRET, signToken } from "../../integ/gateway/support.js";
import { type RgwEnv, rgwFromEnv } from "../../rgw/env.js";
import { createScratchSchema } from "../../support/postgres-schema.js";
import type { AdversarialCase, World } from "./case.js";
import type { Api } from "./completion-steps.js";
import { openGatewayWorld, type WorldConfig } from "./gateway-world.js";
import { runCatalogue } from "./runner.js";

/**
 * Two gateway instances sharing one Postgres ledger (a scratch schema) and one bucket (the embedded
 * store, or a fresh one on Ceph RGW): what a deployment of several instances looks like. snapshot()
 * reads the bucket and every ledger row straight from Postgres.
 */
export interface GatewayPairWorld extends World {
  storageName: "embedded" | "rgw";
  gateways: [Gateway, Gateway];
  apis: [Api, Api];
  token(user: string): Promise<string>;
  close(): Promise<void>;
}

const ROW_COLUMNS = `id, user_id, route, key, status, reason, declared_size, verified_size`;

export async function openGatewayPairWorld(
  config: WorldConfig,
  postgresUrl: string,
  rgw?: RgwEnv,
): Promise<GatewayPairWorld> {
  // The single-gateway world brings the bucket and reads its state; its own gateway stays idle.
  const base = await openGatewayWorld(config, rgw);
  const storage = base.gateway.config.storage;
  const { schema, drop } = await createScratchSchema(postgresUrl, "adversarial_pair");
  const pool = { options: `-c search_path=${schema}` };
  const ledgers: Ledger[] = [
    createPostgresLedger(postgresUrl, { pool }),
    createPostgresLedger(postgresUrl, { pool }),
  ];
  await ledgers[0]!.migrate();
  const gateways = ledgers.map((ledger) =>
    createGateway({
      auth: { jwt: { secret: JWT_SECRET } },
      logger: { level: "silent" },
      ...config,
      routes: config.routes ?? {},
      ledger,
      storage: { ...storage },
    }),
  ) as [Gateway, Gateway];
  const reader = new pg.Client({ connectionString: postgresUrl, options: pool.options });
  await reader.connect();
  return {
    storageName: base.storageName,
    gateways,
    apis: [gatewayApi(gateways[0]), gatewayApi(gateways[1])],
    token: (user) => signToken(user),
    async snapshot() {
      const { rows } = await reader.query(`SELECT ${ROW_COLUMNS} FROM uploads ORDER BY id`);
      return JSON.stringify({ bucket: await base.snapshot(), rows });
    },
    async close() {
      await Promise.all(gateways.map((g) => g.close()));
      await Promise.all(ledgers.map((l) => l.close()));
      await reader.end();
      await drop();
      await base.close();
    },
  };
}

/**
 * Registers the cases against two instances on Postgres, with the embedded store and with Ceph RGW
 * (as runGatewayCatalogue does). Without UPGATE_TEST_POSTGRES_URL the whole catalogue fails under
 * CI=true and is skipped elsewhere; without RGW its RGW half is.
 */
export function runGatewayPairCatalogue(
  title: string,
  config: WorldConfig,
  cases: Array<AdversarialCase<GatewayPairWorld>>,
) {
  const url = process.env.UPGATE_TEST_POSTGRES_URL;
  const missing = (what: string) => () => {
    throw new Error(`${what} is not set and CI=true: the cross-instance catalogue runs in CI`);
  };
  if (!url) {
    if (process.env.CI === "true")
      runCatalogue(`${title} (Postgres)`, missing("UPGATE_TEST_POSTGRES_URL"), cases);
    return;
  }
  runCatalogue(`${title} (Postgres, embedded store)`, () => openGatewayPairWorld(config, url), cases);
  const rgw = rgwFromEnv();
  if (rgw) runCatalogue(`${title} (Postgres, Ceph RGW)`, () => openGatewayPairWorld(config, url, rgw), cases);
  else if (process.env.CI === "true")
    runCatalogue(`${title} (Postgres, Ceph RGW)`, missing("UPGATE_TEST_RGW_URL"), cases);
}
