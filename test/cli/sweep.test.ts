import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_ROUTES } from "../../src/cli/dev-routes.js";
import { runCli } from "../support/cli.js";
import { type DevRig, startDevRig } from "./support/dev.js";

let rig: DevRig;
let config: string;
beforeAll(async () => {
  rig = await startDevRig();
  config = join(rig.dir, "sweep.config.json");
  await writeFile(
    config,
    JSON.stringify({
      storage: { endpoint: rig.stack.storeUrl, bucket: rig.stack.bucket, forcePathStyle: true },
      ledger: rig.ledger,
      routes: DEV_ROUTES,
      sweep: { grace: "0s" },
    }),
  );
});
afterAll(async () => {
  await rig?.close();
});

async function writeObject(key: string): Promise<void> {
  const body = new TextEncoder().encode("nobody's upload");
  const signed = await rig.stack.gateway.storage.presignPut(
    key,
    { "content-length": String(body.length) },
    60,
  );
  expect((await fetch(signed.url, { method: "PUT", headers: signed.headers, body })).status).toBe(200);
}

describe("upgate sweep", { timeout: 120_000 }, () => {
  it("--dry-run reports the orphans it would delete and deletes nothing; without it, deletes them", async () => {
    await writeObject("images/ada/orphan.png");
    await writeObject("outside/kept.png");
    const dry = await runCli(["sweep", "--config", config, "--dry-run", "--json"], rig.env);
    expect(dry.code, dry.stderr).toBe(0);
    const report = JSON.parse(dry.stdout);
    expect(report).toMatchObject({ dryRun: true, complete: true, counts: { deletedObjects: 1, failed: 0 } });
    expect(report.deletedObjects).toEqual([{ key: "images/ada/orphan.png", reason: "orphan" }]);
    expect(await rig.stack.gateway.storage.head("images/ada/orphan.png")).toBeDefined();

    const text = await runCli(["sweep", "--config", config, "--dry-run"], rig.env);
    expect(text.stdout).toMatch(
      /^sweep \(dry run\): would verify 0 and would reject 0 upload\(s\) nobody completed, would expire 0 upload\(s\), would abort 0 multipart upload\(s\), would delete 1 object\(s\)/,
    );
    expect(text.stdout).toMatch(/^ {2}delete {2}images\/ada\/orphan\.png {2}\(orphan\)$/m);

    const real = await runCli(["sweep", "--config", config], rig.env);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toMatch(
      /^sweep: verify 0 and reject 0 upload\(s\) nobody completed, expire 0 upload\(s\), abort 0 multipart upload\(s\), delete 1 object\(s\)/,
    );
    expect(await rig.stack.gateway.storage.head("images/ada/orphan.png")).toBeUndefined();
    expect(await rig.stack.gateway.storage.head("outside/kept.png")).toBeDefined();
  });

  it("needs a config, and says so in one line", async () => {
    const r = await runCli(["sweep", "--dry-run"], rig.env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      "upgate sweep: no config: pass --config upgate.config.ts (or put one in this folder)",
    );
  });
});
