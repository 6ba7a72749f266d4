/**
 * npm run bench:gateway [-- --seconds 10 --warmup 3 --connections 50 --profile auto|always|never
 *                          --ledger-dir DIR --ledger]
 *
 * POST /v1/uploads under autocannon, side by side, each server in its own process on 127.0.0.1:
 * (a) upgate (JWT HS256, route policy, quota reserved in SQLite, presigned PUT) through
 *     toNodeHandler on node:http;
 * (b) the classic Express example (express.json, a content-type check, getSignedUrl), the baseline.
 * (c) node:http alone reading the same request and answering as much JSON: the transport's floor,
 *     what no gateway code can remove from (a)'s CPU per request.
 * All get the same requests (one PNG, a bearer token rotating over 1000 users). Prints req/s,
 * p50/p99 latency, CPU per request (server and load generator), the ratio and whether the goal
 * (a >= 8x b) was met, and if not, why, in numbers (gateway-verdict.ts), and how much of the fallback
 * goal what (a) cannot do without takes: (c), the least a durable reservation costs in raw
 * better-sqlite3 at (a)'s batch (gateway-reservation-floor.ts), and the least the answer itself
 * costs (gateway-work-floor.ts). When the goal is missed (or
 * with --profile always) (a) runs again under --cpu-prof and the report says where its time goes.
 * --ledger-dir puts (a)'s SQLite file elsewhere (default: the OS temp dir, on disk): /dev/shm
 * shows what the fsync per commit costs. --ledger measures the ledger alone (gateway-ledger.ts: CPU
 * per reservation at 1, 16 and 32 reservations per commit) and nothing else; the profile prints it too.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SignJWT } from "jose";
import { measureCommits } from "./gateway-commit.js";
import { type GatewayTarget, JWT_SECRET, USERS } from "./gateway-config.js";
import { describeLedgerCost, measureLedger } from "./gateway-ledger.js";
import { checkServes, type LoadResult as Load, runLoad } from "./gateway-load.js";
import { bundleServer, startServer } from "./gateway-process.js";
import { summarizeProfile } from "./gateway-profile.js";
import { measureReservationFloor } from "./gateway-reservation-floor.js";
import { type CpuFloor, goalVerdict } from "./gateway-verdict.js";
import { measureWorkFloor } from "./gateway-work-floor.js";
import { machineCpu, since } from "./machine-cpu.js";

const GOAL = 8;
/** The fallback goal where 8x is out of reach on two cores: (a)'s server CPU per request. */
const CPU_GOAL_MICROS = 100;

/**
 * The load's figures, plus CPU time per request: the server's own (which other load on the machine
 * barely moves) and the load generator's (autocannon, in this process); and how many cores the rest
 * of the machine kept busy meanwhile (other processes, and time the hypervisor gave elsewhere).
 */
type LoadResult = Load & {
  cpuMicrosPerRequest: number;
  loadMicrosPerRequest: number;
  otherCores: number;
  /** Requests the server answered in all, warm-up and check included. */
  served: number;
  /** The main thread's CPU per request over the process's whole life (start-up and warm-up included). */
  mainThreadMicrosPerServed: number;
  /** Requests per WAL sync during the run: how many share one group commit ((a) only). */
  requestsPerSync?: number;
};
const LABELS: Record<GatewayTarget, string> = {
  ours: "(a) upgate: JWT + policy + SQLite quota + sign",
  baseline: "(b) baseline: Express + getSignedUrl",
  floor: "(c) floor: node:http alone, same request/answer",
};

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    connections: { type: "string", default: "50" },
    profile: { type: "string", default: "auto" },
    "ledger-dir": { type: "string" },
    ledger: { type: "boolean", default: false },
  },
});
const whole = (name: string, text: string, min: number): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number >= ${min}`);
  return n;
};
const seconds = whole("seconds", args.seconds, 1);
const warmup = whole("warmup", args.warmup, 0);
const connections = whole("connections", args.connections, 1);
if (!["auto", "always", "never"].includes(args.profile))
  throw new Error("--profile is auto, always or never");

const secret = new TextEncoder().encode(JWT_SECRET);
const tokens = await Promise.all(
  Array.from({ length: USERS }, (_, i) =>
    new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(`user-${i}`)
      .setIssuedAt()
      .setExpirationTime("2h")
      .sign(secret),
  ),
);

/** Reservations per commit the ledger-alone figures are given for: one at a time, and bench-like batches. */
const LEDGER_BATCHES = [1, 16, 32];
const LEDGER_RESERVATIONS = 16_000;

if (args.ledger) {
  for (const batch of LEDGER_BATCHES) {
    console.log(
      describeLedgerCost(await measureLedger(args["ledger-dir"] ?? tmpdir(), batch, LEDGER_RESERVATIONS)),
    );
  }
  process.exit(0);
}

const workDir = await mkdtemp(join(tmpdir(), "upgate-bench-gateway-"));
try {
  const scripts = {
    ours: await bundleServer("ours"),
    baseline: await bundleServer("baseline"),
    floor: await bundleServer("floor"),
  };
  const results = {} as Record<GatewayTarget, LoadResult>;
  for (const target of ["floor", "baseline", "ours"] as const) {
    process.stderr.write(`bench:gateway: ${target}...\n`);
    results[target] = await measure(target, scripts[target]);
  }
  const ratio = results.ours.requestsPerSecond / results.baseline.requestsPerSecond;
  report(results, ratio < GOAL ? await measureFloor(results) : undefined);
  if (args.profile === "always" || (args.profile === "auto" && ratio < GOAL)) {
    process.stderr.write("bench:gateway: profiling (a)...\n");
    await profile(scripts.ours);
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}

async function measure(target: GatewayTarget, script: string, cpuProfileDir?: string): Promise<LoadResult> {
  const dataDir = await mkdtemp(join(args["ledger-dir"] ?? workDir, `upgate-bench-${target}-`));
  const server = await startServer(script, dataDir, cpuProfileDir);
  try {
    await checkServes(server.url, tokens[0]!);
    const warm =
      warmup > 0 ? await runLoad({ url: server.url, tokens, connections, seconds: warmup }) : undefined;
    const countsSyncs = target === "ours";
    const syncsBefore = countsSyncs ? await server.walSyncs() : undefined;
    const cpuBefore = await server.cpuSeconds();
    const machineBefore = await machineCpu();
    const ownBefore = process.cpuUsage();
    const started = performance.now();
    const load = await runLoad({ url: server.url, tokens, connections, seconds });
    const elapsed = (performance.now() - started) / 1000;
    const own = process.cpuUsage(ownBefore);
    const machine = since(machineBefore, await machineCpu());
    const serverCpu = (await server.cpuSeconds()) - cpuBefore;
    const syncsAfter = countsSyncs ? await server.walSyncs() : undefined;
    const syncs = syncsAfter === undefined || syncsBefore === undefined ? 0 : syncsAfter - syncsBefore;
    const served = 1 + (warm?.total ?? 0) + load.total;
    const mainThreadMicrosPerServed = ((await server.mainThreadCpuSeconds()) * 1e6) / served;
    const loadCpu = (own.user + own.system) / 1e6;
    const result = {
      ...load,
      cpuMicrosPerRequest: (serverCpu * 1e6) / load.total,
      loadMicrosPerRequest: (loadCpu * 1e6) / load.total,
      otherCores: Math.max(0, machine.busy - serverCpu - loadCpu + machine.steal) / elapsed,
      served,
      mainThreadMicrosPerServed,
      ...(syncs > 0 && { requestsPerSync: load.total / syncs }),
    };
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(
        `${target}: ${result.non2xx} non-2xx answers and ${result.errors} errors: not a valid run`,
      );
    }
    return result;
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** When the ratio goal is missed: what of (a)'s CPU per request it cannot do without. */
async function measureFloor(results: Record<GatewayTarget, LoadResult>): Promise<CpuFloor> {
  process.stderr.write("bench:gateway: the least a durable SQLite reservation and an answer cost...\n");
  const perCommit = Math.max(1, Math.round(results.ours.requestsPerSync ?? 1));
  const floor = await measureReservationFloor(args["ledger-dir"] ?? tmpdir(), perCommit);
  return {
    httpMicros: results.floor.cpuMicrosPerRequest,
    reservationMicros: floor.cpuMicrosPerReservation,
    perCommit,
    workMicros: await measureWorkFloor(),
  };
}

function report(results: Record<GatewayTarget, LoadResult>, cpuFloor: CpuFloor | undefined): void {
  console.log(
    `\nbench:gateway  POST /v1/uploads, ${connections} connections, ${seconds} s each after ${warmup} s warm-up` +
      ` (node ${process.version}, ${availableParallelism()} cores)\n`,
  );
  const row = (cells: string[]) =>
    console.log(
      cells[0]!.padEnd(48) +
        cells
          .slice(1)
          .map((c) => c.padStart(12))
          .join(""),
    );
  row(["target", "req/s", "p50 ms", "p99 ms", "requests", "CPU µs/req", "load µs/req", "other cores"]);
  for (const target of ["ours", "baseline", "floor"] as const) {
    const r = results[target];
    row([
      LABELS[target],
      r.requestsPerSecond.toFixed(0),
      String(r.p50Ms),
      String(r.p99Ms),
      String(r.total),
      r.cpuMicrosPerRequest.toFixed(0),
      r.loadMicrosPerRequest.toFixed(0),
      r.otherCores.toFixed(2),
    ]);
  }
  console.log(
    "\nCPU µs/req: the server's CPU time per request; load µs/req: the load generator's (autocannon, same machine);" +
      "\nother cores: cores kept busy by everything else meanwhile (other processes, hypervisor steal).",
  );
  const floor = results.floor.cpuMicrosPerRequest;
  console.log(
    `(a) = (c)'s ${floor.toFixed(0)} µs that node:http costs per request here, plus ` +
      `${(results.ours.cpuMicrosPerRequest - floor).toFixed(0)} µs of upgate's own work (auth, policy, ledger, signing, logging).`,
  );
  const perSync = results.ours.requestsPerSync;
  if (perSync !== undefined) {
    console.log(
      `(a)'s ledger: ${perSync.toFixed(1)} requests per commit and WAL fdatasync on average (the group commit's batch).`,
    );
  }
  console.log();
  for (const line of goalVerdict(
    results.ours,
    results.baseline,
    GOAL,
    availableParallelism(),
    CPU_GOAL_MICROS,
    cpuFloor,
  ))
    console.log(line);
  console.log();
}

async function profile(script: string): Promise<void> {
  const ledgerDir = args["ledger-dir"] ?? tmpdir();
  for (const cost of await measureCommits(ledgerDir)) {
    console.log(
      `SQLite commit in ${ledgerDir}, WAL ${cost.mode}: ${cost.microsPerCommit.toFixed(0)} µs wall,` +
        ` ${cost.cpuMicrosPerCommit.toFixed(0)} µs CPU (${(1e6 / cost.microsPerCommit).toFixed(0)} commits/s one after another)`,
    );
  }
  for (const batch of LEDGER_BATCHES) {
    console.log(describeLedgerCost(await measureLedger(ledgerDir, batch, LEDGER_RESERVATIONS)));
  }
  console.log(
    "The ledger commits with NORMAL + fdatasync: each create reserves once (and takes a token with a\n" +
      "rateLimit); those of one event-loop turn share one transaction, and those that arrive while the\n" +
      "WAL's fdatasync runs (on the thread pool) commit together when it ends: one commit and one sync\n" +
      "serve a batch, so the fewer requests per second, the more of that CPU each one pays.\n",
  );
  const dir = await mkdtemp(join(workDir, "profile-"));
  const result = await measure("ours", script, dir);
  const file = (await readdir(dir)).find((name) => name.endsWith(".cpuprofile"));
  if (!file) throw new Error("no CPU profile was written");
  const { functions, owners, stages, busyMicros } = await summarizeProfile(join(dir, file));
  // The profile's samples are wall-clock intervals (a thread the machine preempts still gets its
  // sample), so the main thread's measured CPU per request is shared out by each one's share of them.
  const perRequest = (micros: number) =>
    ((micros / busyMicros) * result.mainThreadMicrosPerServed).toFixed(1).padStart(6);
  console.log(
    `(a) under --cpu-prof: ${result.requestsPerSecond.toFixed(0)} req/s, ${result.cpuMicrosPerRequest.toFixed(0)} µs CPU/req` +
      ` in the run; over the process's life the main thread used ${result.mainThreadMicrosPerServed.toFixed(0)} µs/req` +
      " (other threads: the WAL's fdatasync on the thread pool, GC helpers). Self time by owner (% of the" +
      " profile, main-thread µs/req):",
  );
  const line = (h: { percent: number; micros: number; name: string }) =>
    console.log(`  ${h.percent.toFixed(1).padStart(5)}% ${perRequest(h.micros)} µs  ${h.name}`);
  for (const o of owners) line(o);
  console.log("Hottest functions (self time):");
  for (const f of functions) line(f);
  console.log("upgate's functions, time including callees:");
  for (const f of stages) line(f);
}
