import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signRequest } from "../../src/core/sigv4/sign-request.js";
import { firstLine, runCli, spawnCli } from "../support/cli.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "upgate-cli-store-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("upgate store", () => {
  it("serves signed requests with the credentials from the environment and stops on SIGTERM", async () => {
    const credentials = { accessKeyId: "clikey", secretAccessKey: "cli-secret-0123456789" };
    const child = spawnCli(["store", "--port", "0", "--data-dir", dir, "--bucket", "uploads", "--json"], {
      UPGATE_STORE_ACCESS_KEY: credentials.accessKeyId,
      UPGATE_STORE_SECRET_KEY: credentials.secretAccessKey,
    });
    const info = JSON.parse(await firstLine(child));
    expect(info).toMatchObject({ accessKeyId: "clikey", region: "us-east-1" });
    expect(info.secretAccessKey).toBeUndefined();
    const put = await signRequest({
      method: "PUT",
      url: `${info.url}/uploads/hello.txt`,
      headers: { "content-type": "text/plain" },
      body: "hello",
      region: "us-east-1",
      credentials,
    });
    const res = await fetch(put.url, { method: "PUT", headers: put.headers, body: "hello" });
    expect(res.status).toBe(200);
    const anonymous = await fetch(`${info.url}/uploads/hello.txt`);
    expect(anonymous.status).toBe(403);
    const closed = new Promise((done) => child.on("close", done));
    child.kill("SIGTERM");
    expect(await closed).toBe(0);
  });

  it("refuses built-in dev credentials on a non-loopback address", async () => {
    const result = await runCli(["store", "--port", "0", "--host", "0.0.0.0", "--data-dir", dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 with the built-in dev credentials/);
  });

  it("rejects bad flags with a one-line reason and exit code 2", async () => {
    const bad = await runCli(["store", "--port", "http"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('--port must be a port number from 0 to 65535, got "http"');
    const unknown = await runCli(["store", "--colour"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--colour'/);
    const half = await runCli(["store", "--access-key", "x"]);
    expect(half.code).toBe(1);
    expect(half.stderr).toMatch(/give both --access-key and --secret-key/);
  });

  it("prints help", async () => {
    const help = await runCli(["store", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: upgate store/);
    const top = await runCli(["nope"]);
    expect(top.code).toBe(2);
    expect(top.stderr).toMatch(/unknown command "nope"/);
  });
});
