import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { openFsBackend, useTempDir } from "./fs-support.js";
import { BUCKET, md5Etag, readAll } from "./support.js";

const CHILD = fileURLToPath(new URL("./fs-kill-child.ts", import.meta.url));
const KILLS = 12;

interface Line {
  ready?: boolean;
  begin?: string;
  ack?: string;
  key?: string;
  sha?: string | null;
  result?: string;
}

/** Runs the child until a random moment after it is ready, kills it with SIGKILL, returns what it printed. */
async function runAndKill(dataDir: string, seed: number, killAfterMs: number): Promise<Line[]> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, dataDir, String(seed)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (data: string) => {
    if (!output.includes('"ready"') && `${output}${data}`.includes('"ready"')) {
      setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    }
    output += data;
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
    child.on("exit", (_code, sig) => resolve(sig)),
  );
  expect(signal, `child output:\n${output}`).toBe("SIGKILL");
  return output
    .split("\n")
    .filter((line) => line.endsWith("}"))
    .map((line) => JSON.parse(line) as Line);
}

describe("fs backend under kill -9", () => {
  const dirs = useTempDir();

  test(`${KILLS} kills in the middle of puts, deletes and completes: every key holds an acknowledged or the in-flight version`, async () => {
    /** Per key, the sha of the acknowledged object, or null when the last acknowledged op deleted it. */
    const acknowledged = new Map<string, string | null>();
    let operations = 0;
    for (let round = 0; round < KILLS; round++) {
      const seed = round + 1;
      const lines = await runAndKill(dirs.dataDir, seed, 30 + Math.floor(Math.random() * 400));
      let inFlight: Line | undefined;
      for (const line of lines) {
        if (line.begin) inFlight = line;
        if (line.ack) {
          inFlight = undefined;
          operations++;
          if (line.result === "ok") acknowledged.set(line.key!, line.sha ?? null);
        }
      }

      const backend = await openFsBackend(dirs.dataDir);
      expect(await readdir(join(dirs.dataDir, "tmp"))).toEqual([]);
      const { objects } = await backend.listObjects(BUCKET, { limit: 100 });
      const stored = new Map<string, string>();
      for (const meta of objects) {
        const read = await backend.readObject(BUCKET, meta.key);
        const body = await readAll(read!.body);
        const digest = createHash("sha256").update(body).digest("hex");
        expect(read?.meta).toEqual(meta);
        expect(body.length, meta.key).toBe(meta.size);
        expect(digest, `${meta.key}: bytes and metadata of one version`).toBe(meta.metadata.sha);
        if (meta.partsCount === undefined) expect(meta.etag).toBe(md5Etag(body));
        stored.set(meta.key, digest);
      }
      for (const key of new Set([...acknowledged.keys(), ...stored.keys()])) {
        const allowed = [acknowledged.get(key) ?? null];
        if (inFlight?.key === key) allowed.push(inFlight.sha ?? null);
        expect(allowed, `round ${round}, ${key}`).toContain(stored.get(key) ?? null);
      }
      const blobs = await readdir(join(dirs.dataDir, "buckets", BUCKET, "blobs")).catch(() => []);
      expect(blobs.length, "one blob per multipart object, none left over").toBe(
        objects.filter((meta) => meta.partsCount !== undefined).length,
      );
      // What the in-flight operation left becomes the reference for the next round.
      for (const key of acknowledged.keys()) acknowledged.set(key, stored.get(key) ?? null);
      for (const [key, digest] of stored) acknowledged.set(key, digest);
      for (const upload of await backend.listMultipartUploads(BUCKET))
        await backend.abortMultipartUpload(upload);
      await backend.close();
    }
    expect(operations).toBeGreaterThan(KILLS);
  }, 120_000);
});
