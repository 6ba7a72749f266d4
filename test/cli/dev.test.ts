import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presignUrl } from "../../src/core/sigv4/presign.js";
import { firstLine, runCli, spawnCli } from "../support/cli.js";

interface DevInfo {
  gatewayUrl: string;
  storeUrl: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "upgate-cli-devcmd-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function startDev() {
  const child = spawnCli([
    "dev",
    "--port",
    "0",
    "--store-port",
    "0",
    "--data-dir",
    join(dir, "data"),
    "--json",
    "--log-level",
    "silent",
  ]);
  let stderr = "";
  child.stderr!.on("data", (d) => {
    stderr += d;
  });
  const closed = new Promise<number | null>((done) => child.on("close", done));
  return {
    child,
    closed,
    stderr: () => stderr,
    info: firstLine(child, 60_000).then((l) => JSON.parse(l) as DevInfo),
  };
}

async function download(info: DevInfo, id: string): Promise<Buffer> {
  const session = await fetch(`${info.gatewayUrl}/v1/dev/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user: "ada" }),
  });
  const { token } = (await session.json()) as { token: string };
  const res = await fetch(`${info.gatewayUrl}/v1/files/${id}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe("upgate dev", { timeout: 120_000 }, () => {
  it("runs store, gateway and dev sign-in; uploads survive a restart; Ctrl-C lets an upload in flight finish", async () => {
    const first = startDev();
    const info = await first.info;
    expect(info).toMatchObject({ bucket: "uploads", region: "us-east-1", accessKeyId: "upgatedev" });
    expect((await fetch(`${info.gatewayUrl}/healthz`)).status).toBe(200);

    const file = join(dir, "notes.txt");
    await writeFile(file, "kept across restarts\n");
    const up = await runCli([
      "upload",
      file,
      "--route",
      "documents",
      "--endpoint",
      info.gatewayUrl,
      "--dev-user",
      "ada",
      "--json",
      "--state-dir",
      join(dir, "state"),
    ]);
    expect(up.code, up.stderr).toBe(0);
    const [record] = JSON.parse(up.stdout) as Array<{ id: string; status: string }>;
    expect(record?.status).toBe("verified");

    // A PUT whose body is still arriving when SIGINT comes: the store waits for it.
    const signed = await presignUrl({
      method: "PUT",
      endpoint: info.storeUrl,
      bucket: info.bucket,
      key: "inflight/slow.txt",
      region: info.region,
      credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey },
      expiresIn: 60,
      headers: { "content-length": 10 },
    });
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        pulled++;
        if (pulled === 1) controller.enqueue(new TextEncoder().encode("slow "));
        else {
          await new Promise((r) => setTimeout(r, 700));
          controller.enqueue(new TextEncoder().encode("body!"));
          controller.close();
        }
      },
    });
    const slow = fetch(signed.url, {
      method: "PUT",
      headers: signed.headers,
      body,
      duplex: "half",
    } as RequestInit);
    while (pulled < 2) await new Promise((r) => setTimeout(r, 5));
    first.child.kill("SIGINT");
    expect((await slow).status).toBe(200);
    expect(await first.closed).toBe(0);
    expect(first.stderr()).toMatch(
      /upgate dev: SIGINT: stopping; 1 request\(s\) in flight may take up to 5000 ms to finish\nupgate dev: stopped\n/,
    );

    const second = startDev();
    const again = await second.info;
    expect(await download(again, record!.id)).toEqual(Buffer.from("kept across restarts\n"));
    second.child.kill("SIGTERM");
    expect(await second.closed).toBe(0);
  });

  it("prints the URLs and the store credentials for people", async () => {
    const child = spawnCli([
      "dev",
      "--port",
      "0",
      "--store-port",
      "0",
      "--data-dir",
      join(dir, "text"),
      "--log-level",
      "silent",
    ]);
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
    });
    const closed = new Promise((done) => child.on("close", done));
    const deadline = Date.now() + 60_000;
    while (!out.includes("Press Ctrl-C") && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(out).toContain("Press Ctrl-C to stop.");
    child.kill("SIGTERM");
    expect(await closed).toBe(0);
    expect(out).toMatch(/^ {2}demo page and API {3}http:\/\/127\.0\.0\.1:\d+$/m);
    expect(out).toMatch(/^ {2}store secret key {4}upgatedev-secret-not-for-production /m);
    // Commands to paste, as they run in this clone.
    expect(out).toMatch(
      /^ {2}UPGATE_STORAGE_ACCESS_KEY=\S+ UPGATE_STORAGE_SECRET_KEY=\S+ npm run upgate -- doctor --endpoint http:\/\/127\.0\.0\.1:\d+ --bucket uploads --origin /m,
    );
    expect(out).toMatch(/^ {2}sweeper {13}every 30 s /m);
    expect(out).toMatch(/ npm run upgate -- sweep --config \S+\/text\/upgate\.config\.json$/m);
  });
});
