import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import type { UploadStatus } from "../../../src/core/protocol.js";
import { createSqliteLedger } from "../../../src/server/ledger/sqlite.js";
import type { Ledger, NewUpload } from "../../../src/server/ledger/types.js";
import { createStorageClient } from "../../../src/server/s3/s3-client.js";
import type { StorageClient } from "../../../src/server/s3/types.js";
import { type StoreFixture, startStore } from "../../support/store-fixture.js";

const MINUTE = 60_000;
export const GRACE_MS = 5 * MINUTE;
/** The sweep's clock: ten minutes after the world was made, so its objects are past the grace period. */
export const sweepNow = (world: World): Date => new Date(world.madeAt.getTime() + 10 * MINUTE);
export const PREFIXES = ["images", "docs/"];

export interface World {
  f: StoreFixture;
  ledger: Ledger;
  storage: StorageClient;
  madeAt: Date;
  /** Row ids by name. */
  ids: Record<string, string>;
  /** Multipart upload ids by key. */
  uploadIds: Record<string, string>;
  close(): Promise<void>;
}

interface RowSpec {
  name: string;
  userId: string;
  route: string;
  key: string;
  /** Minutes from the sweep's clock. */
  expiresInMin: number;
  status: UploadStatus;
  object?: boolean;
  multipart?: boolean;
}

/**
 * Every kind of thing a sweep meets, under the prefixes images/ and docs/ and outside them.
 * What must go: stale rows (put with an object, put without, multipart), an orphan multipart upload,
 * an orphan object and a rejected upload's object. Everything else must stay.
 */
const ROWS: RowSpec[] = [
  {
    name: "verified",
    userId: "alice",
    route: "images",
    key: "images/alice/verified.png",
    expiresInMin: -60,
    status: "verified",
    object: true,
  },
  {
    name: "freshPending",
    userId: "alice",
    route: "images",
    key: "images/alice/fresh.png",
    expiresInMin: 5,
    status: "pending",
    object: true,
  },
  {
    name: "withinGrace",
    userId: "alice",
    route: "images",
    key: "images/alice/grace.png",
    expiresInMin: -1,
    status: "pending",
    object: true,
  },
  {
    name: "stalePut",
    userId: "bob",
    route: "images",
    key: "images/bob/stale.png",
    expiresInMin: -10,
    status: "pending",
    object: true,
  },
  {
    name: "staleEmpty",
    userId: "bob",
    route: "docs",
    key: "docs/bob/never.pdf",
    expiresInMin: -60,
    status: "pending",
  },
  {
    name: "staleMultipart",
    userId: "bob",
    route: "images",
    key: "images/bob/big.bin",
    expiresInMin: -10,
    status: "uploaded",
    multipart: true,
  },
  {
    name: "freshMultipart",
    userId: "carol",
    route: "docs",
    key: "docs/carol/big.bin",
    expiresInMin: 60,
    status: "pending",
    multipart: true,
  },
  {
    name: "rejected",
    userId: "carol",
    route: "docs",
    key: "docs/carol/rejected.pdf",
    expiresInMin: -60,
    status: "rejected",
    object: true,
  },
];
const LOOSE_OBJECTS = ["images/zed/orphan.bin", "other/keep.bin", "images-archive/keep.bin"];
const LOOSE_UPLOADS = ["images/zed/orphan-mp.bin", "other/orphan-mp.bin"];

export const EXPECTED = {
  expired: ["staleEmpty", "stalePut", "staleMultipart"],
  deletedObjects: [
    { key: "docs/carol/rejected.pdf", reason: "orphan" },
    { key: "images/bob/stale.png", reason: "expired" },
    { key: "images/zed/orphan.bin", reason: "orphan" },
  ],
  abortedMultipart: [
    { key: "images/bob/big.bin", reason: "expired" },
    { key: "images/zed/orphan-mp.bin", reason: "orphan" },
  ],
  survivingObjects: [
    "images-archive/keep.bin",
    "images/alice/fresh.png",
    "images/alice/grace.png",
    "images/alice/verified.png",
    "other/keep.bin",
  ],
  survivingUploads: ["docs/carol/big.bin", "other/orphan-mp.bin"],
  statuses: {
    verified: "verified",
    freshPending: "pending",
    withinGrace: "pending",
    stalePut: "expired",
    staleEmpty: "expired",
    staleMultipart: "expired",
    freshMultipart: "pending",
    rejected: "rejected",
  } as Record<string, UploadStatus>,
};

export async function makeWorld(): Promise<World> {
  const f = await startStore();
  const dir = await mkdtemp(join(tmpdir(), "upgate-sweep-"));
  const ledger = createSqliteLedger(join(dir, "ledger.db"));
  await ledger.migrate();
  const storage = createStorageClient({
    endpoint: f.url,
    region: f.region,
    bucket: f.bucket,
    credentials: { ...f.credentials },
    forcePathStyle: true,
  });
  const madeAt = new Date();
  const world: World = {
    f,
    ledger,
    storage,
    madeAt,
    ids: {},
    uploadIds: {},
    async close() {
      await ledger.close();
      await f.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  for (const key of LOOSE_OBJECTS) await putObject(world, key);
  for (const key of LOOSE_UPLOADS) world.uploadIds[key] = await storage.createMultipart(key, {});
  for (const spec of ROWS) await addRow(world, spec);
  return world;
}

async function addRow(world: World, spec: RowSpec): Promise<void> {
  const id = `up_${spec.name}`;
  let multipartUploadId: string | null = null;
  if (spec.multipart) {
    multipartUploadId = await world.storage.createMultipart(spec.key, {});
    world.uploadIds[spec.key] = multipartUploadId;
    await world.f.s3.send(
      new UploadPartCommand({
        Bucket: world.f.bucket,
        Key: spec.key,
        UploadId: multipartUploadId,
        PartNumber: 1,
        Body: "part one",
      }),
    );
  }
  if (spec.object) await putObject(world, spec.key);
  const row: NewUpload = {
    id,
    userId: spec.userId,
    route: spec.route,
    bucket: world.f.bucket,
    key: spec.key,
    name: spec.key.split("/").pop()!,
    strategy: spec.multipart ? "multipart" : "put",
    declaredSize: 1000,
    declaredType: "application/octet-stream",
    sha256: null,
    multipartUploadId,
    partSize: spec.multipart ? 8 * 1024 * 1024 : null,
    partCount: spec.multipart ? 1 : null,
    clientIp: "127.0.0.1",
    userAgent: null,
    metadata: {},
    createdAt: world.madeAt,
    expiresAt: new Date(sweepNow(world).getTime() + spec.expiresInMin * MINUTE),
  };
  const reserved = await world.ledger.reserve([row], {
    userId: spec.userId,
    route: spec.route,
    limit: {},
    now: world.madeAt,
  });
  if (!reserved.ok) throw new Error(`could not reserve ${spec.name}`);
  if (spec.status !== "pending") {
    const moved = await world.ledger.transition(id, ["pending"], spec.status, { reason: null });
    if (!moved) throw new Error(`could not move ${spec.name} to ${spec.status}`);
  }
  world.ids[spec.name] = id;
}

async function putObject(world: World, key: string): Promise<void> {
  await world.f.s3.send(new PutObjectCommand({ Bucket: world.f.bucket, Key: key, Body: `bytes of ${key}` }));
}

/** What storage and the ledger hold: every key in the bucket, every open upload, every row's status. */
export async function snapshot(world: World) {
  const listed = await world.f.s3.send(new ListObjectsV2Command({ Bucket: world.f.bucket }));
  const uploads = await world.f.s3.send(new ListMultipartUploadsCommand({ Bucket: world.f.bucket }));
  const statuses: Record<string, UploadStatus | undefined> = {};
  for (const [name, id] of Object.entries(world.ids)) statuses[name] = (await world.ledger.get(id))?.status;
  return {
    objects: (listed.Contents ?? []).map((o) => o.Key!).sort(),
    uploads: (uploads.Uploads ?? []).map((u) => u.Key!).sort(),
    statuses,
  };
}
