import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { offloadHash } from "./hash-worker.js";

function shared(bytes: Uint8Array): Uint8Array {
  const view = new Uint8Array(new SharedArrayBuffer(bytes.length));
  view.set(bytes);
  return view;
}

describe("offloadHash", () => {
  test("concurrent jobs of each algorithm match node:crypto, piece by piece", async () => {
    const jobs = Array.from({ length: 6 }, (_, i) => {
      const algorithm = i % 2 ? "md5" : "sha256";
      const pieces = Array.from({ length: 5 }, (_, j) =>
        randomBytes(1 + ((i * 7919 + j * 104_729) % 300_000)),
      );
      return { algorithm, pieces, hash: offloadHash(algorithm) };
    });
    const digests = await Promise.all(
      jobs.map(async ({ pieces, hash }) => {
        await Promise.all(pieces.map((p) => hash.update(shared(p))));
        return hash.digest();
      }),
    );
    for (const [i, { algorithm, pieces }] of jobs.entries()) {
      const expected = createHash(algorithm);
      for (const p of pieces) expected.update(p);
      expect(digests[i]!.equals(expected.digest()), `job ${i}`).toBe(true);
    }
  });

  test("hashes only the view's range of its shared buffer", async () => {
    const whole = shared(randomBytes(1000));
    const hash = offloadHash("md5");
    await hash.update(whole.subarray(100, 600));
    const digest = await hash.digest();
    expect(digest.toString("hex")).toBe(createHash("md5").update(whole.subarray(100, 600)).digest("hex"));
  });

  test("an empty job has the digest of nothing", async () => {
    const hash = offloadHash("sha256");
    expect((await hash.digest()).toString("hex")).toBe(createHash("sha256").digest("hex"));
  });

  test("refuses memory the worker cannot see", async () => {
    const hash = offloadHash("md5");
    await expect(hash.update(randomBytes(10))).rejects.toThrow(/shared memory/);
    hash.cancel();
  });

  test("a cancelled job does not disturb the next one", async () => {
    const cancelled = offloadHash("sha256");
    void cancelled.update(shared(randomBytes(50_000))).catch(() => {});
    cancelled.cancel();
    const bytes = randomBytes(70_000);
    const next = offloadHash("sha256");
    await next.update(shared(bytes));
    expect((await next.digest()).equals(createHash("sha256").update(bytes).digest())).toBe(true);
  });

  test("keeps a process alive while it hashes and lets it exit once idle, whatever node flags it runs with", async () => {
    const module = fileURLToPath(new URL("./hash-worker.ts", import.meta.url));
    const script = `const { offloadHash } = await import(${JSON.stringify(module)});
const hash = offloadHash("md5");
await hash.update(new Uint8Array(new SharedArrayBuffer(1 << 20)));
console.log((await hash.digest()).toString("hex"));`;
    // --input-type=module is inherited by workers unless they get their own flags, and the worker's
    // program is CommonJS. A timeout kills a child the idle worker keeps alive.
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      const child = execFile(
        process.execPath,
        ["--import", "tsx", "--input-type=module", "-e", script],
        { timeout: 20_000 },
        (_err, stdout, stderr) => done({ code: child.exitCode, stdout, stderr }),
      );
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(
      createHash("md5")
        .update(Buffer.alloc(1 << 20))
        .digest("hex"),
    );
  });
});
