import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Crc64Nvme } from "@aws-sdk/crc64-nvme";
import { beforeAll, expect, it } from "vitest";
import { ledgerRows } from "./support/checks.js";
import { describeInChromium } from "./support/chromium.js";
import { withChromiumAndStack } from "./support/chromium-and-stack.js";
import { MiB, writeRandomFile } from "./support/files.js";
import { cardStatus, chooseRoute, type DemoPage, openDemo } from "./support/page.js";
import { startTestStack } from "./support/stack.js";

async function crc64nvme(bytes: Uint8Array): Promise<string> {
  const h = new Crc64Nvme();
  h.update(bytes);
  return Buffer.from(await h.digest()).toString("base64");
}

describeInChromium("the demo page on a crc64nvme route", () => {
  const suite = withChromiumAndStack(() =>
    startTestStack({
      routes: {
        "crc-files": {
          label: "CRC file",
          types: ["*/*"],
          maxSize: "200MB",
          strategy: "multipart",
          partSize: "16MB",
          checksum: { mode: "required", algorithm: "crc64nvme" },
        },
      },
    }),
  );
  let demo: DemoPage;
  const workers: string[] = [];

  beforeAll(async () => {
    demo = await openDemo(suite.browser, suite.stack, "hedy");
    demo.page.on("worker", (worker) => workers.push(worker.url()));
    await chooseRoute(demo.page, "CRC file");
  });

  it("hashes the parts in Workers (under the page's CSP), and storage keeps the combined FULL_OBJECT CRC", async () => {
    const { page } = demo;
    const file = join(suite.stack.dir, "crc.bin");
    const size = 90 * MiB + 5; // above 64 MiB: the whole CRC comes only from combining the parts
    await writeRandomFile(file, size);
    await page.setInputFiles("#picker", file);
    await expect
      .poll(() => cardStatus(page, "crc.bin").textContent(), { timeout: 120_000, interval: 200 })
      .toBe("Uploaded and verified");

    expect(workers.length).toBeGreaterThan(0);
    expect(workers.every((url) => url.startsWith("blob:"))).toBe(true);
    const expected = await crc64nvme(await readFile(file));
    const [row] = await ledgerRows(suite.stack, "hedy");
    expect([row!.status, row!.checksumAlgorithm, row!.checksum]).toEqual(["verified", "crc64nvme", expected]);
    const head = await suite.stack.gateway.storage.head(row!.key);
    expect(head!.checksums.crc64nvme).toBe(expected);
    expect(demo.errors).toEqual([]);
    // The page's CSP lets the client compile its WebAssembly CRC kernel ('wasm-unsafe-eval'); under
    // default-src 'self' alone it would be refused and the CRCs would run in JS (slower, same values).
    const compiles = await page.evaluate(() => {
      try {
        const wasm = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => object } })
          .WebAssembly;
        new wasm.Module(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0));
        return "compiled";
      } catch (err) {
        return String(err);
      }
    });
    expect(compiles).toBe("compiled");
  });
});
