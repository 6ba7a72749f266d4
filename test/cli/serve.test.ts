import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PNG_1X1 } from "../integ/storage/support.js";
import { firstLine, runCli, spawnCli } from "../support/cli.js";
import { type DevRig, startDevRig } from "./support/dev.js";

const JWT_SECRET = "serve-test-jwt-secret-0123456789abcdef";

let rig: DevRig;
beforeAll(async () => {
  rig = await startDevRig();
});
afterAll(async () => {
  await rig?.close();
});

const token = (user: string) =>
  new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(user)
    .setExpirationTime("5m")
    .sign(new TextEncoder().encode(JWT_SECRET));

describe("upgate serve", { timeout: 120_000 }, () => {
  it("runs a TypeScript config (secrets read from process.env), UPGATE_* overriding it, and stops on SIGTERM", async () => {
    const file = join(rig.dir, "upgate.config.ts");
    await writeFile(
      file,
      `const limit: string = "1MB";
export default {
  storage: { endpoint: ${JSON.stringify(rig.stack.storeUrl)}, bucket: "not-this-bucket", forcePathStyle: true },
  ledger: ${JSON.stringify(`sqlite:${join(rig.dir, "serve-ledger.db")}`)},
  auth: { jwt: { secret: process.env.APP_JWT_SECRET as string } },
  logger: { level: "silent" as const },
  routes: { images: { types: ["image/png"], maxSize: limit } },
};
`,
    );
    const child = spawnCli(["serve", "--config", file, "--port", "0", "--json"], {
      ...rig.env,
      APP_JWT_SECRET: JWT_SECRET,
      UPGATE_STORAGE_BUCKET: rig.stack.bucket,
    });
    const info = JSON.parse(await firstLine(child, 60_000));
    expect(info).toMatchObject({ bucket: rig.stack.bucket, routes: ["images"] });
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${info.url}/healthz`);
    expect(health.status).toBe(200);
    const created = await fetch(`${info.url}/v1/uploads`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await token("ada")}` },
      body: JSON.stringify({ route: "images", files: [{ name: "a.png", type: "image/png", size: 100 }] }),
    });
    expect(created.status).toBe(201);
    const closed = new Promise((done) => child.on("close", done));
    child.kill("SIGTERM");
    expect(await closed).toBe(0);
  });

  it("sweeps every sweep.interval: an upload PUT but never completed is verified once its URL lapses", async () => {
    const file = join(rig.dir, "sweeping.config.json");
    await writeFile(
      file,
      JSON.stringify({
        storage: { endpoint: rig.stack.storeUrl, bucket: rig.stack.bucket, forcePathStyle: true },
        ledger: `sqlite:${join(rig.dir, "sweeping-ledger.db")}`,
        logger: { level: "silent" },
        sweep: { interval: "1s" },
        routes: { images: { types: ["image/png"], maxSize: "1MB", expiresIn: "1s" } },
      }),
    );
    const child = spawnCli(["serve", "--config", file, "--port", "0", "--json"], {
      ...rig.env,
      UPGATE_JWT_SECRET: JWT_SECRET,
    });
    const info = JSON.parse(await firstLine(child, 60_000));
    expect(info.sweepIntervalMs).toBe(1000);
    const auth = { authorization: `Bearer ${await token("ada")}` };
    const created = await fetch(`${info.url}/v1/uploads`, {
      method: "POST",
      headers: { "content-type": "application/json", ...auth },
      body: JSON.stringify({
        route: "images",
        files: [{ name: "a.png", type: "image/png", size: PNG_1X1.length }],
      }),
    });
    const [put] = (
      (await created.json()) as {
        uploads: Array<{ id: string; url: string; headers: Record<string, string> }>;
      }
    ).uploads;
    expect((await fetch(put!.url, { method: "PUT", headers: put!.headers, body: PNG_1X1 })).status).toBe(200);
    const status = async () => {
      const listed = await fetch(`${info.url}/v1/uploads`, { headers: auth });
      return ((await listed.json()) as { uploads: Array<{ status: string }> }).uploads[0]?.status;
    };
    const deadline = Date.now() + 15_000;
    while ((await status()) !== "verified" && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(await status()).toBe("verified");
    const closed = new Promise((done) => child.on("close", done));
    child.kill("SIGTERM");
    expect(await closed).toBe(0);
  });

  it("refuses a config holding a literal secret, naming where it is", async () => {
    const file = join(rig.dir, "literal.config.mjs");
    await writeFile(
      file,
      `export default { storage: { endpoint: "http://127.0.0.1:1", bucket: "b" }, auth: { jwt: { secret: "${JWT_SECRET}" } }, routes: { images: { types: ["image/png"], maxSize: "1MB" } } };\n`,
    );
    const r = await runCli(["serve", "--config", file, "--port", "0"], rig.env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `upgate serve: ${file} holds a secret as a literal (auth.jwt.secret): secrets come only from the environment; remove it and set the UPGATE_* variable (see npm run upgate -- serve --help)`,
    );
  });

  it("reports every config problem on one line", async () => {
    const file = join(rig.dir, "bad.config.json");
    await writeFile(
      file,
      JSON.stringify({
        storage: { endpoint: "ftp://x", bucket: "b" },
        routes: { images: { types: [], maxSize: "10XB" } },
      }),
    );
    const r = await runCli(["serve", "--config", file, "--port", "0"], {
      ...rig.env,
      UPGATE_JWT_SECRET: JWT_SECRET,
    });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^upgate serve: invalid config ${file}: storage\\.endpoint: .*; routes\\.images\\.types: .*maxSize`,
      ),
    );
  });
});
