/**
 * The credential-rotation soak: a gateway with `credentials: "aws"` takes role credentials through
 * the real AWS SDK default chain from a stand-in ECS container endpoint, which hands out a new set
 * of the embedded store's temporary credentials every `rotateMs`, each expiring `lifeSeconds` after
 * issue. Meanwhile clients upload through the gateway over HTTP (PUT, POST forms and multipart,
 * with the real upgate client and no client retries), verified files are downloaded and compared,
 * and the sweeper lists the bucket. Every upload is legitimate: none may fail.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { SignJWT } from "jose";
import { createUploader } from "../../src/client/index.js";
import { createGateway, type Gateway } from "../../src/server/gateway.js";
import { toNodeHandler } from "../../src/server/node.js";
import type { StorageCredentials } from "../../src/server/s3/credentials/types.js";
import { createStorageClient } from "../../src/server/s3/s3-client.js";
import { type StorageClient, type StorageConfig, StorageError } from "../../src/server/s3/types.js";
import { createMemoryBackend, createObjectStore } from "../../src/store/index.js";
import { createRgwBucket, type RgwEnv } from "../rgw/env.js";
import { rotation, startContainerEndpoint, withAwsEnvironment } from "../support/credential-endpoints.js";
import { TEST_BUCKET, TEST_CREDENTIALS, TEST_REGION } from "../support/store-fixture.js";

export interface CredentialSoakOptions {
  durationMs: number;
  /** A new credential set every this many ms. */
  rotateMs: number;
  /** Each set expires this long after it is issued (AWS issues new ones before the old expire). */
  lifeSeconds: number;
  /** Concurrent uploaders. */
  workers: number;
  /** Every n-th upload is multipart (two parts, 5 MiB and a bit), 0 for none. */
  multipartEvery: number;
  /** Each uploader's pause between uploads (the machine is shared). Default 100 ms. */
  pauseMs?: number;
  /** Run against Ceph RGW and its STS instead of the embedded store and a stand-in ECS endpoint. */
  rgw?: RgwStsEnv;
  log?: (line: string) => void;
}

export interface CredentialSoakReport {
  settings: Omit<CredentialSoakOptions, "log" | "rgw"> & { storage: string };
  elapsedMs: number;
  uploads: { put: number; post: number; multipart: number; verified: number; bytes: number };
  downloads: { checked: number; mismatches: number };
  sweeps: { runs: number; failed: number };
  /** Credential sets the endpoint handed out. */
  rotations: number;
  /** Fetches of credentials by the gateway: ok, failed, and those after storage refused a set. */
  refreshes: { ok: number; failed: number; refused: number };
  /** Failed legitimate uploads (and downloads), with their reasons. */
  failures: string[];
  /** What storage answers a listing signed with the current session's key without its token, and with another token. */
  refusals: { withoutToken: string; otherToken: string };
  /** What failed the soak: empty when it passed. */
  problems: string[];
}

/**
 * Ceph RGW with its STS gateway (same zone, STS on) and a role the user may assume there
 * (scripts/ceph-rgw-up.sh: UPGATE_TEST_RGW_STS_URL, UPGATE_TEST_RGW_STS_ROLE).
 */
export type RgwStsEnv = RgwEnv & { stsEndpoint: string; roleArn: string };

const JWT_SECRET = "credentials-soak-jwt-secret-0123456789abcdef";
const MiB = 1024 * 1024;
const AUTHORIZATION = randomBytes(12).toString("hex");

/** Bytes that no type sniffer recognises, for application/octet-stream routes. */
function payload(size: number): Uint8Array {
  const out = new Uint8Array(randomBytes(size));
  out[0] = 0x78;
  out[1] = 0x00;
  return out;
}

async function refreshCounts(gateway: Gateway): Promise<CredentialSoakReport["refreshes"]> {
  const metric = (await gateway.metrics.getMetricsAsJSON()).find(
    (m) => m.name === "upgate_storage_credential_refreshes_total",
  );
  const out = { ok: 0, failed: 0, refused: 0 };
  for (const v of metric?.values ?? []) {
    if (v.labels.outcome === "ok") out.ok += v.value;
    else out.failed += v.value;
    if (v.labels.reason === "refused") out.refused += v.value;
  }
  return out;
}

/** Where the soak's credentials come from and what they sign for. */
interface Target {
  storage: StorageConfig;
  /** Credential sets handed out so far. */
  readonly sets: number;
  /** Runs the soak with the environment the target needs (the AWS chain's variables). */
  around<T>(body: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The embedded store, its credentials handed out by a stand-in ECS endpoint to the AWS default chain. */
async function embeddedTarget(options: CredentialSoakOptions): Promise<Target> {
  const store = createObjectStore({
    backend: createMemoryBackend(),
    credentials: [{ ...TEST_CREDENTIALS }],
    buckets: [TEST_BUCKET],
    region: TEST_REGION,
  });
  await store.listen(0, "127.0.0.1");
  const sets = rotation(store, { rotateMs: options.rotateMs, lifeSeconds: options.lifeSeconds });
  const ecs = await startContainerEndpoint(sets, AUTHORIZATION);
  const env = {
    AWS_CONTAINER_CREDENTIALS_FULL_URI: ecs.fullUri,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: AUTHORIZATION,
  };
  return {
    storage: {
      endpoint: store.url,
      region: TEST_REGION,
      bucket: TEST_BUCKET,
      credentials: "aws",
      forcePathStyle: true,
    },
    get sets() {
      return sets.sets;
    },
    around: (body) => withAwsEnvironment(env, body),
    async close() {
      await ecs.close();
      await store.close();
    },
  };
}

/**
 * Ceph RGW's STS: each set is a new AssumeRole session (@aws-sdk/credential-providers'
 * fromTemporaryCredentials). RGW's sessions last at least 900 s, so the provider reports them as
 * ending twice `rotateMs` after they began: the gateway, refreshing at half that life, takes a new
 * one every `rotateMs` or so (when the next request comes).
 */
async function rgwTarget(rgw: RgwStsEnv, options: CredentialSoakOptions): Promise<Target> {
  const bucket = await createRgwBucket(rgw, "credsoak");
  const assume = fromTemporaryCredentials({
    params: { RoleArn: rgw.roleArn, RoleSessionName: "upgate-credentials-soak", DurationSeconds: 900 },
    masterCredentials: { ...rgw.credentials },
    clientConfig: { endpoint: rgw.stsEndpoint, region: rgw.region },
  });
  let sets = 0;
  const provider = async () => {
    const began = Date.now();
    const session = await assume();
    sets += 1;
    const reported = Math.min(session.expiration!.getTime(), began + 2 * options.rotateMs);
    return { ...session, expiration: new Date(reported) };
  };
  return {
    // Session tokens are taken only by the radosgw that has STS on.
    storage: { ...bucket, endpoint: rgw.stsEndpoint, credentials: provider },
    get sets() {
      return sets;
    },
    around: (body) => body(),
    // The test cluster keeps objects in memory: leave it as the run found it.
    close: () => emptyBucket(createStorageClient(bucket)),
  };
}

async function emptyBucket(storage: StorageClient): Promise<void> {
  for (const upload of await storage.listMultipartUploads("")) {
    await storage.abortMultipart(upload.key, upload.uploadId);
  }
  let next: string | undefined;
  do {
    const page = await storage.listObjects("", next);
    for (let i = 0; i < page.objects.length; i += 16) {
      await Promise.all(page.objects.slice(i, i + 16).map((o) => storage.delete(o.key)));
    }
    next = page.next;
  } while (next !== undefined);
}

export async function runCredentialSoak(options: CredentialSoakOptions): Promise<CredentialSoakReport> {
  const log = options.log ?? (() => {});
  const target = options.rgw ? await rgwTarget(options.rgw, options) : await embeddedTarget(options);
  try {
    return await target.around(async () => {
      const gateway = createGateway({
        storage: target.storage,
        ledger: "sqlite::memory:",
        auth: { jwt: { secret: JWT_SECRET } },
        logger: { level: "silent" },
        routes: {
          files: { types: ["application/octet-stream"], maxSize: "1MB", expiresIn: "5m" },
          forms: { types: ["application/octet-stream"], maxSize: "1MB", strategy: "post", expiresIn: "5m" },
          videos: {
            types: ["application/octet-stream"],
            maxSize: "20MB",
            strategy: "multipart",
            partSize: "5MB",
            expiresIn: "5m",
          },
        },
      });
      const server = createServer(toNodeHandler(gateway));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        return await drive(gateway, endpoint, options, target, log);
      } finally {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await gateway.close();
      }
    });
  } finally {
    await target.close();
  }
}

/** Storage's answer to a listing signed with the gateway's current session, its token left out or changed. */
async function refusals(gateway: Gateway): Promise<CredentialSoakReport["refusals"]> {
  const { accessKeyId, secretAccessKey, sessionToken = "" } = await gateway.storage.credentials.get();
  const answer = async (credentials: StorageCredentials) => {
    const client = createStorageClient({ ...gateway.config.storage, credentials });
    try {
      await client.listObjects("credentials-soak-probe/");
      return "accepted";
    } catch (err) {
      return err instanceof StorageError ? `${err.status} ${err.code}` : String(err);
    }
  };
  return {
    withoutToken: await answer({ accessKeyId, secretAccessKey }),
    otherToken: await answer({
      accessKeyId,
      secretAccessKey,
      sessionToken: `${sessionToken.slice(0, -4)}AAAA`,
    }),
  };
}

async function drive(
  gateway: Gateway,
  endpoint: string,
  options: CredentialSoakOptions,
  sets: { readonly sets: number },
  log: (line: string) => void,
): Promise<CredentialSoakReport> {
  const report: CredentialSoakReport = {
    settings: {
      durationMs: options.durationMs,
      rotateMs: options.rotateMs,
      lifeSeconds: options.lifeSeconds,
      workers: options.workers,
      multipartEvery: options.multipartEvery,
      pauseMs: options.pauseMs ?? 100,
      storage: options.rgw
        ? `Ceph RGW 16.2 (its STS gateway, ${options.rgw.stsEndpoint})`
        : "the embedded store",
    },
    elapsedMs: 0,
    uploads: { put: 0, post: 0, multipart: 0, verified: 0, bytes: 0 },
    downloads: { checked: 0, mismatches: 0 },
    sweeps: { runs: 0, failed: 0 },
    rotations: 0,
    refreshes: { ok: 0, failed: 0, refused: 0 },
    failures: [],
    refusals: { withoutToken: "", otherToken: "" },
    problems: [],
  };
  const started = Date.now();
  const deadline = started + options.durationMs;
  const fail = (what: string, err: unknown) => {
    const credentials = gateway.storage.credentials.status().lastError;
    const line = `${what}: ${(err as Error)?.message ?? String(err)}${credentials ? ` (credentials: ${credentials})` : ""}`;
    report.failures.push(line);
    log(`FAILED ${line}`);
  };

  async function download(token: string, id: string, sha256: string): Promise<void> {
    const redirect = await fetch(`${endpoint}/v1/files/${id}`, {
      headers: { authorization: `Bearer ${token}` },
      redirect: "manual",
    });
    const location = redirect.headers.get("location");
    if (redirect.status !== 302 || !location) throw new Error(`GET /v1/files answered ${redirect.status}`);
    const file = await fetch(location);
    if (file.status !== 200) throw new Error(`the download URL answered ${file.status}`);
    const got = createHash("sha256")
      .update(new Uint8Array(await file.arrayBuffer()))
      .digest("base64");
    report.downloads.checked += 1;
    if (got !== sha256) {
      report.downloads.mismatches += 1;
      throw new Error("the downloaded bytes differ");
    }
  }

  let counter = 0;
  async function worker(n: number): Promise<void> {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(`soak-user-${n}`)
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode(JWT_SECRET));
    const uploader = createUploader({
      endpoint,
      headers: async () => ({ authorization: `Bearer ${token}` }),
      retry: { retries: 0 },
    });
    while (Date.now() < deadline) {
      counter += 1;
      const i = counter;
      const kind =
        options.multipartEvery > 0 && i % options.multipartEvery === 0
          ? "multipart"
          : i % 3 === 0
            ? "post"
            : "put";
      const size = kind === "multipart" ? 5 * MiB + 64 * 1024 : 1024 + Math.floor(Math.random() * 64 * 1024);
      const data = payload(size);
      const route = kind === "multipart" ? "videos" : kind === "post" ? "forms" : "files";
      report.uploads[kind] += 1;
      try {
        const [record] = await uploader.upload(
          new File([data], `soak-${i}.bin`, { type: "application/octet-stream" }),
          { route },
        );
        if (record?.status !== "verified") throw new Error(`upload ${record?.id} is ${record?.status}`);
        report.uploads.verified += 1;
        report.uploads.bytes += size;
        if (i % 5 === 0) {
          const sha256 = createHash("sha256").update(data).digest("base64");
          await download(token, record.id, sha256).catch((err: unknown) =>
            fail(`download of ${record.id}`, err),
          );
        }
      } catch (err) {
        fail(`${kind} upload #${i}`, err);
      }
      await new Promise((r) => setTimeout(r, options.pauseMs ?? 100));
    }
  }

  async function sweeper(): Promise<void> {
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, Math.min(5000, Math.max(0, deadline - Date.now()))));
      try {
        await gateway.sweep();
        report.sweeps.runs += 1;
      } catch (err) {
        report.sweeps.failed += 1;
        fail("sweep", err);
      }
    }
  }

  const progress = setInterval(() => {
    log(
      `${Math.round((Date.now() - started) / 1000)} s: ${report.uploads.verified} verified, ${sets.sets} credential sets, ${report.failures.length} failures`,
    );
  }, 10_000);
  try {
    await Promise.all([...Array.from({ length: options.workers }, (_, n) => worker(n)), sweeper()]);
  } finally {
    clearInterval(progress);
  }
  report.elapsedMs = Date.now() - started;
  report.rotations = sets.sets;
  report.refreshes = await refreshCounts(gateway);
  report.refusals = await refusals(gateway);

  // One set per rotation slot the run lasted (the first from the first upload); RGW sessions are
  // taken on the first request after each period, so one fewer may fit.
  const expectedRotations = Math.floor(report.elapsedMs / options.rotateMs) - (options.rgw ? 1 : 0);
  if (report.failures.length > 0)
    report.problems.push(`${report.failures.length} legitimate uploads or downloads failed`);
  if (report.rotations < expectedRotations) {
    report.problems.push(
      `only ${report.rotations} credential sets were handed out (expected ${expectedRotations})`,
    );
  }
  if (report.refreshes.ok < report.rotations) {
    report.problems.push(
      `the gateway fetched ${report.refreshes.ok} sets, fewer than the ${report.rotations} rotations`,
    );
  }
  if (report.uploads.verified === 0) report.problems.push("no upload was verified");
  return report;
}
