/**
 * One server process through bench:store's four phases: PUT then GET of one large object, then PUT
 * then GET of many small ones with concurrent clients. Each phase is timed from its first byte sent
 * to its last byte received, with the server's peak RSS over that phase.
 */
import { createHash } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { getBytes, putRepeated, runPool } from "./store-client.js";
import type { Durability, ServerKind } from "./store-config.js";
import { type ServerProcess, startServer } from "./store-process.js";
import { requestsFor } from "./store-requests.js";

export interface Workload {
  largeBytes: number;
  /** Written over and over to make the large body; its repetition's sha256 is largeChecksum. */
  largeChunk: Buffer;
  largeChecksum: string;
  smallCount: number;
  smallBody: Buffer;
  smallChecksum: string;
  concurrency: number;
}

export type Phase = "largePut" | "largeGet" | "smallPut" | "smallGet";
export const PHASES: readonly Phase[] = ["largePut", "largeGet", "smallPut", "smallGet"];

export interface PhaseResult {
  seconds: number;
  bytes: number;
  objects: number;
  peakRss: number;
}

const WARMUP_OBJECTS = 64;

/** The base64 sha256 of `chunk` repeated up to `total` bytes, as putRepeated sends it. */
export function repeatedSha256(chunk: Buffer, total: number): string {
  const hash = createHash("sha256");
  for (let sent = 0; sent < total; sent += chunk.length)
    hash.update(chunk.subarray(0, Math.min(chunk.length, total - sent)));
  return hash.digest("base64");
}
/** Enough for the paths only large bodies take (ours pipelines bodies of 4 MiB and more). */
const WARMUP_LARGE_BYTES = 8 * 1024 * 1024;

async function timed(server: ServerProcess, run: () => Promise<void>) {
  await server.resetPeak();
  const t0 = performance.now();
  await run();
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, peakRss: await server.peakRss() };
}

function expectBytes(got: number, want: number, what: string): void {
  if (got !== want) throw new Error(`${what}: received ${got} bytes, expected ${want}`);
}

export async function measureServer(
  kind: ServerKind,
  durability: Durability,
  script: string,
  workDir: string,
  w: Workload,
): Promise<Record<Phase, PhaseResult>> {
  const dataDir = join(workDir, `${kind}-${durability}`);
  await mkdir(dataDir, { recursive: true });
  const server = await startServer(script, dataDir, durability);
  try {
    const requests = requestsFor(kind, server.url);
    const { smallBody, smallChecksum, smallCount, concurrency } = w;
    const putSmall = (prefix: string, count: number) =>
      Promise.all(
        Array.from({ length: count }, (_, i) =>
          requests.put(`${prefix}/${i}`, smallBody.length, smallChecksum),
        ),
      );
    const getSmall = (prefix: string, count: number) =>
      Promise.all(Array.from({ length: count }, (_, i) => requests.get(`${prefix}/${i}`)));
    const smallPhases = async (prefix: string, count: number) => {
      const puts = await putSmall(prefix, count);
      const gets = await getSmall(prefix, count);
      const put = () =>
        runPool(count, concurrency, (i) => putRepeated(puts[i]!, smallBody, smallBody.length));
      const get = () =>
        runPool(count, concurrency, async (i) =>
          expectBytes(await getBytes(gets[i]!), smallBody.length, "GET"),
        );
      return { put, get };
    };

    // Warm-up, untimed: small objects, and one large enough for every path large bodies take.
    const warm = await smallPhases("warmup", WARMUP_OBJECTS);
    await warm.put();
    await warm.get();
    const warmLarge = Math.min(WARMUP_LARGE_BYTES, w.largeBytes);
    const warmLargeChecksum = repeatedSha256(w.largeChunk, warmLarge);
    await putRepeated(
      await requests.put("warmup/large", warmLarge, warmLargeChecksum),
      w.largeChunk,
      warmLarge,
    );

    const largePutReq = await requests.put("large/object", w.largeBytes, w.largeChecksum);
    const largeGetReq = await requests.get("large/object");
    const largePut = await timed(server, () => putRepeated(largePutReq, w.largeChunk, w.largeBytes));
    const largeGet = await timed(server, async () =>
      expectBytes(await getBytes(largeGetReq), w.largeBytes, "large GET"),
    );
    const small = await smallPhases("small", smallCount);
    const smallPut = await timed(server, small.put);
    const smallGet = await timed(server, small.get);

    const large = { bytes: w.largeBytes, objects: 1 };
    const many = { bytes: smallCount * smallBody.length, objects: smallCount };
    return {
      largePut: { ...largePut, ...large },
      largeGet: { ...largeGet, ...large },
      smallPut: { ...smallPut, ...many },
      smallGet: { ...smallGet, ...many },
    };
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Per phase, the fastest of several runs (the one least disturbed by the rest of the machine), with the highest RSS seen. */
export function bestOf(runs: Array<Record<Phase, PhaseResult>>): Record<Phase, PhaseResult> {
  const best = {} as Record<Phase, PhaseResult>;
  for (const phase of PHASES) {
    const all = runs.map((run) => run[phase]);
    const fastest = all.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    best[phase] = { ...fastest, peakRss: Math.max(...all.map((r) => r.peakRss)) };
  }
  return best;
}
