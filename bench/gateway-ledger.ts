/**
 * The ledger alone, as bench:gateway's server drives it: reservations of one 120 KiB file (its key
 * as the default template makes it) on a route with a per-user daily quota, USERS users rotating,
 * `batch` reservations per group commit (what the requests of one event-loop turn, or of one
 * fdatasync, share: bench:gateway prints how many, 17-22 under its 50 connections). Measures this
 * process's CPU per reservation (every thread: SQLite on the event loop, the WAL's fdatasync on the
 * thread pool) and the I/O per commit, from /proc/self/io: bytes and write calls (WAL frames, and
 * the checkpoints that run inside a COMMIT), read calls.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { randomId } from "../src/core/util/random.js";
import { createSqliteLedger } from "../src/server/ledger/sqlite.js";
import type { NewUpload } from "../src/server/ledger/types.js";
import { ALLOWED_TYPES, ROUTE, STORAGE, USERS } from "./gateway-config.js";

export interface LedgerCost {
  batch: number;
  cpuMicrosPerReservation: number;
  userMicrosPerReservation: number;
  systemMicrosPerReservation: number;
  wallMicrosPerReservation: number;
  kibWrittenPerCommit: number;
  writesPerCommit: number;
  readsPerCommit: number;
}

const DAY_MS = 86_400_000;

/** This process's I/O so far (Linux): bytes written, write calls, read calls. */
function ioCounters(): { wchar: number; syscw: number; syscr: number } {
  const text = readFileSync("/proc/self/io", "utf8");
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, "m").exec(text)?.[1] ?? 0);
  return { wchar: field("wchar"), syscw: field("syscw"), syscr: field("syscr") };
}

function newRow(user: string, now: Date): NewUpload {
  const id = randomId(128);
  return {
    id,
    userId: user,
    route: ROUTE,
    bucket: STORAGE.bucket,
    key: `${ROUTE}/${user}/${id}.png`,
    name: "cat.png",
    strategy: "put",
    declaredSize: 122_880,
    declaredType: ALLOWED_TYPES[0]!,
    sha256: null,
    multipartUploadId: null,
    partSize: null,
    partCount: null,
    clientIp: "127.0.0.1",
    userAgent: null,
    metadata: {},
    createdAt: now,
    expiresAt: new Date(now.getTime() + 900_000),
  };
}

/** `reservations` reservations in commits of `batch`, on a fresh ledger file in `parentDir`. */
export async function measureLedger(
  parentDir: string,
  batch: number,
  reservations: number,
): Promise<LedgerCost> {
  const dir = await mkdtemp(join(parentDir, "upgate-bench-ledger-"));
  const ledger = createSqliteLedger(join(dir, "ledger.db"));
  try {
    await ledger.migrate();
    const io = ioCounters();
    const cpu = process.cpuUsage();
    const started = performance.now();
    let next = 0;
    for (let done = 0; done < reservations; done += batch) {
      const now = new Date();
      const results = await Promise.all(
        Array.from({ length: batch }, () => {
          const user = `user-${next++ % USERS}`;
          return ledger.reserve([newRow(user, now)], {
            userId: user,
            route: ROUTE,
            limit: { bytes: 1e12, files: 1_000_000, periodMs: DAY_MS },
            now,
          });
        }),
      );
      if (!results.every((r) => r.ok)) throw new Error("bench:gateway --ledger: a reservation was refused");
    }
    const wall = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const ioAfter = ioCounters();
    const commits = Math.ceil(reservations / batch);
    return {
      batch,
      cpuMicrosPerReservation: (used.user + used.system) / reservations,
      userMicrosPerReservation: used.user / reservations,
      systemMicrosPerReservation: used.system / reservations,
      wallMicrosPerReservation: (wall * 1000) / reservations,
      kibWrittenPerCommit: (ioAfter.wchar - io.wchar) / commits / 1024,
      writesPerCommit: (ioAfter.syscw - io.syscw) / commits,
      readsPerCommit: (ioAfter.syscr - io.syscr) / commits,
    };
  } finally {
    await ledger.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export function describeLedgerCost(cost: LedgerCost): string {
  const f = (n: number) => n.toFixed(1);
  return (
    `ledger alone, ${String(cost.batch).padStart(2)} per commit: ${f(cost.cpuMicrosPerReservation)} µs CPU/reservation` +
    ` (user ${f(cost.userMicrosPerReservation)}, system ${f(cost.systemMicrosPerReservation)}),` +
    ` ${f(cost.wallMicrosPerReservation)} µs wall; per commit ${cost.kibWrittenPerCommit.toFixed(0)} KiB in` +
    ` ${cost.writesPerCommit.toFixed(0)} writes, ${cost.readsPerCommit.toFixed(0)} reads`
  );
}
