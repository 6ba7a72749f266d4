/**
 * The Postgres connection killed (pg_terminate_backend from an admin connection) while the gateway's
 * transaction or statement is open. It is made deterministic by a lock the admin holds: the gateway's
 * connection waits on it inside its work, the admin finds that backend in pg_stat_activity and
 * terminates it. The request must get a 503 LEDGER_UNAVAILABLE (not a 500, not a crash), nothing
 * half-written may remain, and the next request must succeed on a fresh connection.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { createPostgresLedger } from "../../src/server/ledger/postgres.js";
import type { Ledger } from "../../src/server/ledger/types.js";
import { describePostgres } from "../contract/ledger-postgres-env.js";
import {
  complete,
  type Harness,
  json,
  PNG_1X1,
  putPng,
  signToken,
  startGateway,
} from "../integ/gateway/support.js";
import { createScratchSchema, type ScratchSchema } from "../support/postgres-schema.js";
import { newTally } from "./model.js";
import { PgAdmin } from "./pg-admin.js";
import { describeTally, FAULT_ROUNDS, recordTotals, roundName } from "./report.js";

const tally = newTally();

describePostgres("Postgres connection terminated in the middle of a transaction", (url) => {
  let scratch: ScratchSchema;
  let applicationName: string;
  let admin: PgAdmin;
  let ledger: Ledger;
  let h: Harness;

  beforeAll(async () => {
    scratch = await createScratchSchema(url, "faults_pg");
    applicationName = `upgate-${scratch.schema}`;
    admin = await PgAdmin.connect(url, scratch.schema);
    ledger = createPostgresLedger(url, {
      pool: { options: `-c search_path=${scratch.schema}`, application_name: applicationName },
    });
    h = await startGateway({
      ledger,
      routes: {
        images: { types: ["image/png"], maxSize: "1MB" },
        files: { types: ["application/octet-stream"], maxSize: "1MB", maxFiles: 4, strategy: "put" },
        parts: { types: ["application/octet-stream"], maxSize: "1MB", maxFiles: 4, strategy: "multipart" },
      },
    });
  });

  afterAll(async () => {
    await h?.close();
    await ledger?.close();
    await admin?.close();
    await scratch?.drop();
    console.log(describeTally("Postgres connection terminated", tally));
    recordTotals("Postgres connection terminated", tally);
  });

  const files = (count: number) =>
    Array.from({ length: count }, (_, i) => ({
      name: `f${i}.bin`,
      type: "application/octet-stream",
      size: 100 + i,
    }));

  async function create(token: string, route: string, count: number) {
    const res = await h.api("/v1/uploads", { token, body: { route, files: files(count) } });
    return { res, body: await json(res) };
  }

  /** Sends `request`, terminates the gateway's backend once it waits on the admin's lock, returns the answer. */
  async function terminateDuring<T>(request: () => Promise<T>): Promise<T> {
    const answer = request();
    const backend = await admin.waitingBackend(applicationName);
    await admin.terminate(backend.pid);
    tally.faultsInjected++;
    return answer;
  }

  async function rowsOf(userId: string) {
    return (await ledger.list({ userId, limit: 100 })).rows;
  }

  for (let round = 0; round < FAULT_ROUNDS; round++) {
    test(`inside a reservation, waiting on its advisory lock (before any write): 503, nothing reserved, the next create succeeds${roundName(round)}`, async () => {
      const token = await signToken(`alice-${round}`);
      const key = JSON.stringify(["upgate.reserve", `alice-${round}`, "parts"]);
      await admin.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [key]);
      let answer: Awaited<ReturnType<typeof create>>;
      try {
        answer = await terminateDuring(() => create(token, "parts", 2));
      } finally {
        await admin.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [key]);
      }
      expect(answer.res.status).toBe(503);
      expect(answer.body.error.code).toBe("LEDGER_UNAVAILABLE");
      expect(await rowsOf(`alice-${round}`)).toEqual([]);
      expect(await ledger.usage(`alice-${round}`, "parts", undefined, new Date())).toEqual({
        bytes: 0,
        files: 0,
      });
      // The multipart uploads begun for the refused request were aborted.
      expect(await h.gateway.storage.listMultipartUploads(`parts/alice-${round}/`)).toEqual([]);

      const next = await create(token, "parts", 2);
      expect(next.res.status).toBe(201);
      expect((await rowsOf(`alice-${round}`)).map((r) => r.status)).toEqual(["pending", "pending"]);
      tally.faultsSurvived++;
    });

    test(`inside a reservation, its INSERT blocked after the quota read: 503, none of the files' rows written, the next create succeeds${roundName(round)}`, async () => {
      const token = await signToken(`bob-${round}`);
      await admin.query("BEGIN");
      await admin.query("LOCK TABLE uploads IN SHARE MODE");
      let answer: Awaited<ReturnType<typeof create>>;
      try {
        answer = await terminateDuring(() => create(token, "files", 3));
      } finally {
        await admin.query("ROLLBACK");
      }
      expect(answer.res.status).toBe(503);
      expect(answer.body.error.code).toBe("LEDGER_UNAVAILABLE");
      expect(await rowsOf(`bob-${round}`)).toEqual([]);
      expect(await ledger.usage(`bob-${round}`, "files", undefined, new Date())).toEqual({
        bytes: 0,
        files: 0,
      });

      const next = await create(token, "files", 3);
      expect(next.res.status).toBe(201);
      expect(await ledger.usage(`bob-${round}`, "files", undefined, new Date())).toEqual({
        bytes: 303,
        files: 3,
      });
      tally.faultsSurvived++;
    });

    test(`a complete's status change blocked on the row: 503, the upload stays pending, and a retried complete verifies it${roundName(round)}`, async () => {
      const token = await signToken(`carol-${round}`);
      const put = await putPng(h, token);

      await admin.query("BEGIN");
      await admin.query("SELECT id FROM uploads WHERE id = $1 FOR UPDATE", [put.id]);
      let answer: Awaited<ReturnType<typeof complete>>;
      try {
        answer = await terminateDuring(() => complete(h, token, put.id));
      } finally {
        await admin.query("ROLLBACK");
      }
      expect(answer.res.status).toBe(503);
      expect(answer.body.error.code).toBe("LEDGER_UNAVAILABLE");
      expect((await ledger.get(put.id))?.status).toBe("pending");

      const retried = await complete(h, token, put.id);
      expect(retried.res.status).toBe(200);
      expect(retried.body.upload.status).toBe("verified");
      expect(await ledger.usage(`carol-${round}`, "images", undefined, new Date())).toEqual({
        bytes: PNG_1X1.length,
        files: 1,
      });
      expect((await h.api("/healthz")).status).toBe(200);
      tally.faultsSurvived++;
    });
  }
});
