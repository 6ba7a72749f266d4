/**
 * One kill test's world: the store in its own process (it keeps running while the gateway dies), a
 * ledger (a SQLite file, or a fresh Postgres schema), the clients' model, and the gateway child,
 * started again after every kill. The test process reads the ledger and the bucket directly.
 */
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { createPostgresLedger } from "../../src/server/ledger/postgres.js";
import { createSqliteLedger } from "../../src/server/ledger/sqlite.js";
import type { Ledger, QuotaUsage } from "../../src/server/ledger/types.js";
import { JWT_SECRET, signToken } from "../integ/gateway/support.js";
import { type StoreChild, startStoreChild } from "../integ/store/crash-process.js";
import { createScratchSchema } from "../support/postgres-schema.js";
import type { Snapshot } from "./checks.js";
import type { ClientContext } from "./client.js";
import {
  type ChildLedger,
  FAULT_BUCKET,
  FAULT_CREDENTIALS,
  FAULT_REGION,
  FAULT_ROUTES,
} from "./gateway-config.js";
import { type GatewayChild, startGatewayChild } from "./gateway-process.js";
import { readBucket, readRows } from "./inspect.js";
import { Model, newTally } from "./model.js";

export const USERS = ["u0", "u1", "u2", "u3"] as const;
/** Ten minutes, the gateway's default: the final sweep runs a month ahead, past every expiry. */
const GRACE_SECONDS = 600;

export type LedgerKind = { kind: "sqlite" } | { kind: "postgres"; url: string };

export interface WorldScripts {
  store: string;
  gateway: string;
}

export class World {
  readonly model = new Model(USERS);
  readonly tally = newTally();
  readonly ctx: ClientContext;
  readonly s3: S3Client;
  #seed = 0;

  private constructor(
    readonly name: string,
    readonly store: StoreChild,
    readonly scripts: WorldScripts,
    readonly childLedger: ChildLedger,
    readonly ledger: Ledger,
    tokens: Map<string, string>,
    readonly dispose: () => Promise<void>,
  ) {
    this.ctx = { model: this.model, tally: this.tally, tokens, nextSeed: () => ++this.#seed };
    this.s3 = new S3Client({
      endpoint: store.url,
      forcePathStyle: true,
      region: FAULT_REGION,
      // A copy: the SDK tags the credentials object it is given.
      credentials: { ...FAULT_CREDENTIALS },
      maxAttempts: 1,
    });
  }

  static async open(name: string, dir: string, scripts: WorldScripts, kind: LedgerKind): Promise<World> {
    const store = await startStoreChild({
      script: scripts.store,
      dataDir: join(dir, "store"),
      bucket: FAULT_BUCKET,
      credentials: FAULT_CREDENTIALS,
    });
    let childLedger: ChildLedger;
    let ledger: Ledger;
    let dropSchema = async () => {};
    if (kind.kind === "sqlite") {
      childLedger = { kind: "sqlite", path: join(dir, "ledger.db") };
      ledger = createSqliteLedger(childLedger.path);
      await ledger.migrate();
    } else {
      const { schema, drop } = await createScratchSchema(kind.url, "faults");
      dropSchema = drop;
      childLedger = { kind: "postgres", url: kind.url, schema };
      ledger = createPostgresLedger(kind.url, { pool: { options: `-c search_path=${schema}`, max: 2 } });
      await ledger.migrate();
    }
    const tokens = new Map<string, string>();
    for (const user of USERS) tokens.set(user, await signToken(user, { expiresIn: "2h" }));
    return new World(name, store, scripts, childLedger, ledger, tokens, async () => {
      await ledger.close();
      await dropSchema();
      if (!store.killed) await store.kill();
    });
  }

  startGateway(): Promise<GatewayChild> {
    return startGatewayChild(this.scripts.gateway, {
      storeUrl: this.store.url,
      bucket: FAULT_BUCKET,
      region: FAULT_REGION,
      credentials: { ...FAULT_CREDENTIALS },
      ledger: this.childLedger,
      jwtSecret: JWT_SECRET,
      graceSeconds: GRACE_SECONDS,
      routes: FAULT_ROUTES,
    });
  }

  async snapshot(): Promise<Snapshot> {
    return { rows: await readRows(this.ledger, USERS), objects: await readBucket(this.s3, FAULT_BUCKET) };
  }

  /** What the ledger counts against each user's quota on each route ("user route" -> usage). */
  async usage(): Promise<Map<string, QuotaUsage>> {
    const usage = new Map<string, QuotaUsage>();
    for (const user of USERS) {
      for (const route of Object.keys(FAULT_ROUTES)) {
        usage.set(`${user} ${route}`, await this.ledger.usage(user, route, undefined, new Date()));
      }
    }
    return usage;
  }

  async close(): Promise<void> {
    this.s3.destroy();
    await this.dispose();
  }
}
