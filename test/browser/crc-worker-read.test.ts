/**
 * The CRC worker's read of a picked file, in real Chromium (src/client/hash/crc-worker-source.ts):
 * the answers match the AWS SDK's, and a file that changed on disk after it was picked fails as the
 * file having changed (Chromium fails its Blob stream with a bare TypeError "network error").
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsCrc32c } from "@aws-crypto/crc32c";
import { Crc64Nvme } from "@aws-sdk/crc64-nvme";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeInChromium, launchChromium } from "./support/chromium.js";
import { MiB } from "./support/files.js";

/** Exposes blobChecksum and readFailure to the page (bundled from the client's sources). */
const ENTRY = `
import { blobChecksum } from "./src/client/hash/part-checksum.ts";
import { crcWorkerStats } from "./src/client/hash/crc-workers.ts";
import { readFailure } from "./src/client/read-error.ts";
globalThis.crcOfPicked = async (algorithm, start, end) => {
  const file = document.getElementById("f").files[0];
  const before = crcWorkerStats.bytes;
  try {
    const checksum = await blobChecksum(algorithm, file.slice(start, end));
    return { checksum, inWorker: crcWorkerStats.bytes - before };
  } catch (err) {
    const failure = readFailure(err);
    return { error: { name: err.name, code: failure.code, message: failure.message } };
  }
};
`;

async function oracle(algorithm: "crc64nvme" | "crc32c", bytes: Uint8Array): Promise<string> {
  const h = algorithm === "crc64nvme" ? new Crc64Nvme() : new AwsCrc32c();
  h.update(bytes);
  return Buffer.from(await h.digest()).toString("base64");
}

describeInChromium("CRC workers reading a picked file in Chromium", () => {
  let browser: Browser;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "upgate-crc-read-"));
    const bundle = await build({
      stdin: { contents: ENTRY, resolveDir: join(import.meta.dirname, "../.."), loader: "js" },
      bundle: true,
      format: "esm",
      platform: "browser",
      write: false,
      logLevel: "warning",
    });
    browser = await launchChromium();
    page = await browser.newPage();
    await page.setContent('<input id="f" type="file">');
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text, type: "module" });
    await page.waitForFunction(() => "crcOfPicked" in globalThis);
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const crcOfPicked = (algorithm: string, start: number, end: number) =>
    page.evaluate(
      ([a, s, e]) =>
        (
          globalThis as unknown as {
            crcOfPicked: (a: string, s: number, e: number) => Promise<Record<string, unknown>>;
          }
        ).crcOfPicked(a, s, e),
      [algorithm, start, end] as const,
    );

  it("answers each part's CRC as the AWS SDK computes it", async () => {
    const bytes = new Uint8Array(20 * MiB + 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    const file = join(dir, "same.bin");
    await writeFile(file, bytes);
    await page.setInputFiles("#f", file);
    for (const algorithm of ["crc64nvme", "crc32c"] as const) {
      for (const [start, end] of [
        [0, 16 * MiB],
        [16 * MiB, bytes.length],
        [1, 5],
      ] as const) {
        expect(await crcOfPicked(algorithm, start, end)).toEqual({
          checksum: await oracle(algorithm, bytes.subarray(start, end)),
          inWorker: end - start,
        });
      }
    }
  });

  it("a file changed on disk after it was picked fails as the file having changed", async () => {
    const file = join(dir, "changed.bin");
    await writeFile(file, Buffer.alloc(8 * MiB, 1));
    await page.setInputFiles("#f", file);
    await writeFile(file, Buffer.alloc(4 * MiB, 2));
    expect(await crcOfPicked("crc64nvme", 0, MiB)).toEqual({
      error: {
        name: "NotReadableError",
        code: "CHECKSUM",
        message: "the file changed while uploading (it can no longer be read)",
      },
    });
  });
});
