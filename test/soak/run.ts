import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createGateway } from "../../src/server/gateway.js";
import { createPostgresLedger } from "../../src/server/ledger/postgres.js";
import type { StorageConfig } from "../../src/server/s3/types.js";
import { JWT_SECRET } from "../integ/gateway/support.js";
import { createScratchSchema } from "../support/postgres-schema.js";
import { TEST_CREDENTIALS, TEST_REGION } from "../support/store-fixture.js";
import { ByteBudget } from "./budget.js";
import { type Child, startChild } from "./child.js";
import type { GatewayChildConfig } from "./gateway-child.js";
import { startGatewayProxy } from "./gateway-proxy.js";
import { LedgerView, watchQuota } from "./ledger-view.js";
import { MiB, resolveSoakOptions, type SoakOptions, type SoakStorage } from "./options.js";
import { seededRandom } from "./random.js";
import { emptyPrefix, reconcile, s3For } from "./reconcile.js";
import { findProblems, type LatencyFigures, type SoakReport } from "./report.js";
import { figures, watchProcesses } from "./resources.js";
import { SOAK_ROUTE, soakQuota, soakRoute } from "./route.js";
import { percentile } from "./stats.js";
import { startStorageProxy } from "./storage-proxy.js";
import { emptyTally } from "./tally.js";
import { isParallelUser, runVirtualUser } from "./vu.js";

export type { SoakOptions, SoakReport, SoakStorage };

const GATEWAY_CHILD = fileURLToPath(new URL("./gateway-child.ts", import.meta.url));
const STORE_CHILD = fileURLToPath(new URL("../support/store-child.ts", import.meta.url));
/** Users still uploading this long after the deadline are reported, and the run goes on without them. */
const DRAIN_MS = 180_000;

/**
 * The scale-out soak: gateway processes on one Postgres ledger behind a faulty round-robin proxy,
 * virtual users running the real client, then a final sweep and a key-by-key reconciliation. Never
 * throws for a broken rule: every one is listed in `problems` (it throws only when it cannot run).
 */
export async function runSoak(input: SoakOptions): Promise<SoakReport> {
  const options = resolveSoakOptions(input);
  const { log } = options;
  const runId = randomBytes(4).toString("hex");
  const prefix = `soak-${runId}/`;
  const quota = soakQuota(options.maxFileSize);
  const routes = { [SOAK_ROUTE]: soakRoute(runId, options.maxFileSize) };
  const random = seededRandom(options.seed);
  const cleanups: Array<() => Promise<unknown>> = [];
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg()[0]!;
  try {
    const { schema, drop } = await createScratchSchema(options.postgresUrl, "soak");
    cleanups.push(drop);

    let storage: SoakStorage;
    let storeChild: Child | undefined;
    if (options.storage) {
      storage = options.storage;
    } else {
      const dataDir = await mkdtemp(join(tmpdir(), "upgate-soak-store-"));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      storeChild = await startChild(STORE_CHILD, [dataDir, "soak", "none"], {
        UPGATE_STORE_ACCESS_KEY: TEST_CREDENTIALS.accessKeyId,
        UPGATE_STORE_SECRET_KEY: TEST_CREDENTIALS.secretAccessKey,
      });
      cleanups.push(storeChild.stop);
      storage = {
        endpoint: String(storeChild.ready.url),
        region: TEST_REGION,
        bucket: "soak",
        ...TEST_CREDENTIALS,
        forcePathStyle: true,
      };
    }
    const direct: StorageConfig = {
      endpoint: storage.endpoint,
      region: storage.region,
      bucket: storage.bucket,
      credentials: { accessKeyId: storage.accessKeyId, secretAccessKey: storage.secretAccessKey },
      forcePathStyle: storage.forcePathStyle ?? true,
    };
    const storageProxy = await startStorageProxy(storage.endpoint, options.storageFaultRate, random);
    cleanups.push(storageProxy.close);

    const childConfig: GatewayChildConfig = {
      postgresUrl: options.postgresUrl,
      schema,
      // Signed URLs and the gateways' own storage calls all go through the faulty proxy (path-style,
      // so the Host the signature covers is the proxy's).
      storage: { ...direct, endpoint: storageProxy.url, forcePathStyle: true },
      jwtSecret: JWT_SECRET,
      routes,
    };
    const gateways: Child[] = [];
    for (let i = 0; i < options.instances; i++) {
      const child = await startChild(GATEWAY_CHILD, [], { UPGATE_SOAK_GATEWAY: JSON.stringify(childConfig) });
      gateways.push(child);
      cleanups.push(child.stop);
    }
    const gatewayProxy = await startGatewayProxy(
      gateways.map((g) => String(g.ready.url)),
      options.gatewayFaultRate,
      random,
    );
    cleanups.push(gatewayProxy.close);
    log(
      `soak ${runId}: ${options.instances} gateways, ${options.users} users, ${options.durationMs / 1000} s, schema ${schema}`,
    );

    const view = new LedgerView(options.postgresUrl, schema);
    cleanups.push(() => view.close());
    const tally = emptyTally();
    const watched = [
      ...gateways.map((g, i) => ({ label: `gateway ${i + 1}`, pid: g.pid })),
      ...(storeChild ? [{ label: "store", pid: storeChild.pid }] : []),
      { label: "soak runner (client)", pid: process.pid },
    ];
    const sampleEvery = Math.max(250, Math.min(1_000, Math.round(options.durationMs / 60)));
    const resources = watchProcesses(watched, sampleEvery);
    const quotaWatch = watchQuota(view, SOAK_ROUTE, quota, sampleEvery);

    const started = Date.now();
    const deadline = started + options.durationMs;
    const ctx = {
      gatewayUrl: gatewayProxy.url,
      route: SOAK_ROUTE,
      quota,
      maxFileSize: options.maxFileSize,
      abortRate: options.abortRate,
      deadline,
      seed: options.seed,
      jwtSecret: JWT_SECRET,
      budget: new ByteBudget(Math.max(4 * options.maxFileSize, 64 * MiB)),
      view,
      tally,
    };
    const progress = setInterval(() => {
      log(
        `  ${Math.round((Date.now() - started) / 1000)} s: ${tally.verified} verified, ${tally.quotaRefused} refused, ${tally.aborted} aborted, ${tally.failures.length} failed, ${tally.retries} retries`,
      );
    }, 10_000);
    const users = Array.from({ length: options.users }, (_, i) => runVirtualUser(ctx, i));
    let stuck = 0;
    const drained = Promise.allSettled(users);
    const timeout = new Promise<"timeout">((resolve) => {
      const timer = setTimeout(() => resolve("timeout"), options.durationMs + DRAIN_MS);
      void drained.then(() => clearTimeout(timer));
    });
    const outcome = await Promise.race([drained, timeout]);
    clearInterval(progress);
    const elapsedMs = Date.now() - started;
    const crashed: string[] = [];
    if (outcome === "timeout") stuck = options.users;
    else
      for (const result of outcome)
        if (result.status === "rejected")
          crashed.push(String((result.reason as Error)?.stack ?? result.reason));
    await resources.stop();
    await quotaWatch.stop();

    const gatewayErrors = gateways.flatMap((g, i) =>
      g
        .stderr()
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => `gateway ${i + 1}: ${line}`),
    );
    for (const gateway of gateways) await gateway.stop();

    log(`soak ${runId}: load done in ${Math.round(elapsedMs / 1000)} s; final sweep and reconciliation`);
    const sweeperLedger = createPostgresLedger(options.postgresUrl, {
      pool: { options: `-c search_path=${schema}` },
    });
    const sweeper = createGateway({
      storage: direct,
      ledger: sweeperLedger,
      auth: { jwt: { secret: JWT_SECRET } },
      logger: { level: "silent" },
      routes,
    });
    const s3 = s3For(storage);
    cleanups.push(async () => {
      await sweeper.close();
      await sweeperLedger.close();
      s3.destroy();
    });
    const reconciliation = await reconcile(
      sweeper,
      s3,
      storage.bucket,
      prefix,
      view,
      SOAK_ROUTE,
      quota,
      tally,
    );
    if (options.storage) cleanups.push(() => emptyPrefix(s3, storage.bucket, prefix));

    const { expected: _expected, latency, ...uploads } = tally;
    const latencyOf = (values: number[]): LatencyFigures => ({
      count: values.length,
      p50Ms: percentile(values, 0.5),
      p99Ms: percentile(values, 0.99),
    });
    const base: Omit<SoakReport, "problems"> = {
      startedAt,
      settings: {
        durationMs: options.durationMs,
        users: options.users,
        parallelUsers: Array.from({ length: options.users }, (_, i) => i).filter(isParallelUser).length,
        instances: options.instances,
        maxFileSize: options.maxFileSize,
        seed: options.seed,
        storage: options.storage
          ? `${options.storage.endpoint} (bucket ${options.storage.bucket})`
          : "embedded store, fs backend, own process",
        quota,
        gatewayFaultRate: options.gatewayFaultRate,
        storageFaultRate: options.storageFaultRate,
        abortRate: options.abortRate,
        warmupMs: options.warmupMs,
      },
      machine: { cpus: cpus().length, loadAtStart, loadAtEnd: loadavg()[0]! },
      elapsedMs,
      uploads,
      throughput: {
        uploadsPerSecond: tally.verified / (elapsedMs / 1000),
        mibPerSecond: tally.verifiedBytes / MiB / (elapsedMs / 1000),
      },
      latency: { create: latencyOf(latency.create), complete: latencyOf(latency.complete) },
      faults: {
        gatewayResetsBeforeForwarding: gatewayProxy.resetBefore,
        gatewayAnswersLost: gatewayProxy.responsesLost,
        storageConnections: storageProxy.connections,
        storageResets: storageProxy.resets,
        perInstance: [...gatewayProxy.forwarded],
      },
      quota: { samples: quotaWatch.samples, sampleErrors: quotaWatch.errors, overruns: quotaWatch.overruns },
      reconciliation,
      resources: resources.results.map((proc) => figures(proc, options.warmupMs)),
      gatewayErrors,
    };
    const problems = findProblems(base);
    if (stuck > 0) problems.push(`virtual users were still running ${DRAIN_MS / 1000} s after the deadline`);
    for (const stack of crashed) problems.push(`a virtual user crashed: ${stack}`);
    if (quotaWatch.errors > 0) problems.push(`${quotaWatch.errors} quota samples failed`);
    return { ...base, problems };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
}
