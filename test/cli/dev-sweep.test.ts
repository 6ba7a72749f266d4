/**
 * `upgate sweep` against a running `upgate dev`: dev writes a config for its stack into the data
 * folder and prints the command; pasted into a shell in this clone, it completes an upload whose
 * page never did.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PNG_1X1 } from "../integ/storage/support.js";
import { projectRoot, runCli, spawnCli } from "../support/cli.js";

const exec = promisify(execFile);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "upgate-cli-dev-sweep-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts `upgate dev` with `args`; resolves with what it printed once it says how to stop it. */
async function startDev(args: string[]) {
  const child = spawnCli(["dev", "--port", "0", "--store-port", "0", "--log-level", "silent", ...args]);
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => {
    out += d;
  });
  child.stderr!.on("data", (d) => {
    err += d;
  });
  const closed = new Promise<number | null>((done) => child.on("close", done));
  const deadline = Date.now() + 60_000;
  while (!/Press Ctrl-C|^\{.*\}$/m.test(out)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`dev did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    out,
    async stop() {
      child.kill("SIGTERM");
      expect(await closed).toBe(0);
    },
  };
}

async function devToken(gatewayUrl: string, user: string): Promise<string> {
  const res = await fetch(`${gatewayUrl}/v1/dev/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user }),
  });
  return ((await res.json()) as { token: string }).token;
}

describe("upgate sweep against upgate dev", { timeout: 120_000 }, () => {
  it("the printed command, pasted in this clone, verifies an upload whose page never completed it", async () => {
    // Routes in TypeScript: dev writes an .mts config importing them. Its own sweeper is off, so
    // the pasted command is what completes the upload.
    const routes = join(dir, "routes.config.ts");
    await writeFile(
      routes,
      `const expiresIn: string = "1s";
export default {
  routes: { images: { types: ["image/png"], maxSize: "1MB", expiresIn, key: "{route}/{userId}/{random}{ext}" } },
  sweep: { grace: "1h" },
};
`,
    );
    const dev = await startDev(["--data-dir", join(dir, "ts"), "--config", routes, "--sweep", "off"]);
    try {
      expect(dev.out).toMatch(/^ {2}sweeper {13}off /m);
      const gatewayUrl = /^ {2}demo page and API {3}(\S+)$/m.exec(dev.out)![1]!;
      const command = dev.out
        .split("\n")
        .find((line) => line.includes(" sweep --config "))!
        .trim();
      expect(command).toMatch(
        /^UPGATE_STORAGE_ACCESS_KEY=\S+ UPGATE_STORAGE_SECRET_KEY=\S+ npm run upgate -- sweep --config \S+upgate\.config\.mts$/,
      );
      const token = await devToken(gatewayUrl, "ada");
      const created = await fetch(`${gatewayUrl}/v1/uploads`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
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
      expect((await fetch(put!.url, { method: "PUT", headers: put!.headers, body: PNG_1X1 })).status).toBe(
        200,
      );
      await new Promise((r) => setTimeout(r, 1_200)); // the URL lapses; nobody completes

      const pasted = await exec("sh", ["-c", command], { cwd: projectRoot, env: { ...process.env } });
      expect(pasted.stdout).toMatch(/verify 1 and reject 0 upload\(s\) nobody completed/);
      expect(pasted.stdout).toMatch(
        new RegExp(`^ {2}verify {2}images/ada/\\S+\\.png {2}\\(upload ${put!.id},`, "m"),
      );
      const listed = await fetch(`${gatewayUrl}/v1/uploads`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const { uploads } = (await listed.json()) as { uploads: Array<{ id: string; status: string }> };
      expect(uploads.map((u) => [u.id, u.status])).toEqual([[put!.id, "verified"]]);
    } finally {
      await dev.stop();
    }
  });

  it("with the default routes, writes a JSON config that upgate sweep reads", async () => {
    const dev = await startDev(["--data-dir", join(dir, "json"), "--json"]);
    try {
      const info = JSON.parse(dev.out.trim().split("\n")[0]!);
      expect(info.config).toBe(join(dir, "json", "upgate.config.json"));
      expect(info.sweepIntervalMs).toBe(30_000);
      const written = JSON.parse(await readFile(info.config, "utf8"));
      expect(written).toMatchObject({
        storage: { endpoint: info.storeUrl, bucket: "uploads", forcePathStyle: true },
        ledger: info.ledger,
        routes: { images: { maxSize: "10MB" } },
      });
      const r = await runCli(["sweep", "--config", info.config, "--dry-run", "--json"], {
        UPGATE_STORAGE_ACCESS_KEY: info.accessKeyId,
        UPGATE_STORAGE_SECRET_KEY: info.secretAccessKey,
      });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ dryRun: true, complete: true, counts: { failed: 0 } });
    } finally {
      await dev.stop();
    }
  });
});
