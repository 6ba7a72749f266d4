import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { UpgateConfig } from "../../../src/server/config/types.js";
import { createGateway, type Gateway } from "../../../src/server/gateway.js";
import { createMemoryBackend, createObjectStore, type ObjectStore } from "../../../src/store/index.js";
import { type ApiInit, CLIENT_IP, gatewayApi, JWT_SECRET, signToken } from "../../integ/gateway/support.js";
import { createRgwBucket, type RgwEnv } from "../../rgw/env.js";
import type { KeyedStorageConfig } from "../../support/keyed-storage.js";
import { TEST_BUCKET, TEST_CREDENTIALS, TEST_REGION } from "../../support/store-fixture.js";
import type { World } from "./case.js";
import { type BucketState, rgwBucketState } from "./rgw-bucket-state.js";

export { type ApiInit, CLIENT_IP };

/**
 * A gateway with a SQLite ledger file in front of the embedded store (memory backend) or a fresh
 * bucket on Ceph RGW (with storage.acl "private", the configuration docs recommend there), for
 * the adversarial catalogue. The embedded store's clock can be moved (the
 * gateway signs with the real time), so URLs can be used after their expiry without waiting.
 * snapshot() reads the bucket, the multipart uploads with their parts, and every ledger row and
 * quota usage straight from the database.
 */
export interface GatewayWorld extends World {
  /** Which storage the gateway is in front of. */
  storageName: "embedded" | "rgw";
  gateway: Gateway;
  /** The embedded store; undefined on RGW. */
  store: ObjectStore | undefined;
  api(path: string, init?: ApiInit): Promise<Response>;
  /** An HS256 token for `user`, signed with the gateway's secret. */
  token(user: string): Promise<string>;
  /** Moves the store's clock by `ms` from the real time (0 puts it back); embedded store only. */
  setStoreClockOffset(ms: number): void;
  /** Every ledger row, read from the database. */
  rows(): LedgerRow[];
  row(id: string): LedgerRow | undefined;
  /** Every object in the bucket. */
  objects(): Promise<Array<{ key: string; size: number; etag: string; contentType: string }>>;
  close(): Promise<void>;
}

export interface LedgerRow {
  id: string;
  user_id: string;
  route: string;
  key: string;
  name: string;
  status: string;
  reason: string | null;
  declared_size: number;
  verified_size: number | null;
  multipart_upload_id: string | null;
  expires_at: number;
}

export type WorldConfig = Partial<Omit<UpgateConfig, "storage" | "ledger">>;

export async function openGatewayWorld(overrides: WorldConfig, rgw?: RgwEnv): Promise<GatewayWorld> {
  let offsetMs = 0;
  let store: ObjectStore | undefined;
  let storage: KeyedStorageConfig;
  let bucketState: () => Promise<BucketState>;
  let removeBucket = async () => {};
  if (rgw) {
    // As docs/production.md says for Ceph RGW, which applies an unsigned x-amz-acl on a presigned PUT.
    storage = { ...(await createRgwBucket(rgw, "adversarial")), acl: "private" };
    const bucket = rgwBucketState(storage);
    bucketState = bucket.read;
    removeBucket = bucket.remove;
  } else {
    const backend = createMemoryBackend();
    store = createObjectStore({
      backend,
      credentials: [{ ...TEST_CREDENTIALS }],
      buckets: [TEST_BUCKET],
      region: TEST_REGION,
      now: () => new Date(Date.now() + offsetMs),
    });
    await store.listen(0, "127.0.0.1");
    storage = {
      endpoint: store.url,
      region: TEST_REGION,
      bucket: TEST_BUCKET,
      credentials: { ...TEST_CREDENTIALS },
      forcePathStyle: true,
    };
    bucketState = memoryBucketState(backend);
  }
  const dir = await mkdtemp(join(tmpdir(), "upgate-adversarial-"));
  const ledgerPath = join(dir, "ledger.db");
  const gateway = createGateway({
    auth: { jwt: { secret: JWT_SECRET } },
    logger: { level: "silent" },
    ...overrides,
    routes: overrides.routes ?? {},
    ledger: `sqlite:${ledgerPath}`,
    storage,
  });
  await gateway.ledger.migrate();
  const db = new Database(ledgerPath, { readonly: true, fileMustExist: true });
  const allRows = db.prepare(
    `SELECT id, user_id, route, key, name, status, reason, declared_size, verified_size,
       multipart_upload_id, expires_at FROM uploads ORDER BY id`,
  );
  const oneRow = db.prepare(
    `SELECT id, user_id, route, key, name, status, reason, declared_size, verified_size,
       multipart_upload_id, expires_at FROM uploads WHERE id = ?`,
  );
  const usage = db.prepare(
    `SELECT user_id, route, SUM(COALESCE(verified_size, declared_size)) AS bytes, COUNT(*) AS files
       FROM uploads WHERE status IN ('pending', 'uploaded', 'verified') GROUP BY user_id, route
       ORDER BY user_id, route`,
  );

  return {
    storageName: rgw ? "rgw" : "embedded",
    gateway,
    store,
    api: gatewayApi(gateway),
    token: (user) => signToken(user),
    setStoreClockOffset(ms) {
      if (!store) throw new Error("setStoreClockOffset: only the embedded store's clock can be moved");
      offsetMs = ms;
    },
    rows: () => allRows.all() as LedgerRow[],
    row: (id) => oneRow.get(id) as LedgerRow | undefined,
    objects: async () => (await bucketState()).objects,
    async snapshot() {
      return JSON.stringify({ ...(await bucketState()), rows: allRows.all(), usage: usage.all() });
    },
    async close() {
      await gateway.close();
      db.close();
      await store?.close();
      await removeBucket();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The memory backend's objects and multipart uploads, read without going through S3. */
function memoryBucketState(backend: ReturnType<typeof createMemoryBackend>): () => Promise<BucketState> {
  async function objects() {
    const out: BucketState["objects"] = [];
    let after: string | undefined;
    for (;;) {
      const page = await backend.listObjects(TEST_BUCKET, { limit: 1000, ...(after && { after }) });
      for (const o of page.objects)
        out.push({ key: o.key, size: o.size, etag: o.etag, contentType: o.contentType });
      if (!page.truncated || page.objects.length === 0) return out;
      after = page.objects.at(-1)!.key;
    }
  }
  async function multipart() {
    const out: BucketState["multipart"] = [];
    for (const u of await backend.listMultipartUploads(TEST_BUCKET)) {
      const parts = await backend.listParts(u);
      out.push({ key: u.key, uploadId: u.uploadId, parts: parts.map((p) => [p.partNumber, p.size, p.etag]) });
    }
    return out.sort((a, b) => (a.uploadId < b.uploadId ? -1 : 1));
  }
  return async () => ({ objects: await objects(), multipart: await multipart() });
}
