import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { type DevRig, startDevRig } from "./support/dev.js";

let rig: DevRig;
let env: Record<string, string>;
beforeAll(async () => {
  rig = await startDevRig();
  env = { ...rig.env, UPGATE_STORAGE_ENDPOINT: rig.stack.storeUrl, UPGATE_STORAGE_BUCKET: rig.stack.bucket };
});
afterAll(async () => {
  await rig?.close();
});

const body = new TextEncoder().encode("signed by the upgate CLI\n");
const hex = createHash("sha256").update(body).digest("hex");

describe("upgate sign", { timeout: 120_000 }, () => {
  it("prints {url, headers} that storage takes exactly once, with the signed length, type and checksum", async () => {
    const args = [
      "sign",
      "--key",
      "cli/signed.txt",
      "--content-type",
      "text/plain",
      "--content-length",
      String(body.length),
    ];
    const r = await runCli([...args, "--sha256", hex, "--if-none-match", "--expires", "2m", "--json"], env);
    expect(r.code, r.stderr).toBe(0);
    const signed = JSON.parse(r.stdout) as {
      url: string;
      headers: Record<string, string>;
      expiresAt: string;
    };
    expect(signed.url).toMatch(/X-Amz-Expires=120&/);
    expect(signed.headers).toMatchObject({
      "content-type": "text/plain",
      "x-amz-checksum-sha256": createHash("sha256").update(body).digest("base64"),
      "if-none-match": "*",
    });
    const { "content-length": _length, ...headers } = signed.headers;
    const put = () => fetch(signed.url, { method: "PUT", headers, body });
    expect((await put()).status).toBe(200);
    expect((await put()).status).toBe(412);
    const wrongType = await fetch(signed.url, {
      method: "PUT",
      headers: { ...headers, "content-type": "text/html" },
      body,
    });
    expect(wrongType.status).toBe(403);
  });

  it("prints a bare URL for GET that fetch can use, and the headers to send on stderr for PUT", async () => {
    const get = await runCli(["sign", "--method", "GET", "--key", "cli/signed.txt"], env);
    expect(get.code).toBe(0);
    expect(get.stderr).toBe("");
    const url = get.stdout.trim();
    expect(url.split("\n")).toHaveLength(1);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(body);
    const put = await runCli(["sign", "--key", "cli/other.txt", "--content-type", "text/plain"], env);
    expect(put.stderr.trim()).toBe("send exactly: -H 'content-type: text/plain'");
  });

  it("takes credentials from flags, and refuses to sign without any", async () => {
    const noEnv = { UPGATE_STORAGE_ACCESS_KEY: "", UPGATE_STORAGE_SECRET_KEY: "" };
    const args = [
      "sign",
      "--method",
      "GET",
      "--key",
      "cli/signed.txt",
      "--endpoint",
      rig.stack.storeUrl,
      "--bucket",
      rig.stack.bucket,
    ];
    const missing = await runCli(args, noEnv);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toMatch(/^upgate sign: no credentials: set UPGATE_STORAGE_ACCESS_KEY/);
    const flagged = await runCli(
      [
        ...args,
        "--access-key",
        rig.env.UPGATE_STORAGE_ACCESS_KEY!,
        "--secret-key",
        rig.env.UPGATE_STORAGE_SECRET_KEY!,
      ],
      noEnv,
    );
    expect(flagged.code).toBe(0);
    expect((await fetch(flagged.stdout.trim())).status).toBe(200);
    const badSum = await runCli(["sign", "--key", "k", "--sha256", "abc"], env);
    expect(badSum.code).toBe(2);
    expect(badSum.stderr).toMatch(/--sha256 must be a SHA-256 digest/);
  });
});
