/**
 * The README's "Use it in your app": its server.ts and browser.ts blocks are docs/examples/app's files
 * (with package imports), and those files complete an upload against the embedded store. The
 * packaging test (test/package) runs the same blocks from the packed README in an installed project.
 */
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PNG_1X1 } from "../integ/storage/support.js";
import { projectRoot } from "../support/cli.js";
import { asPublished, titledBlocks } from "../support/published.js";
import { type StoreFixture, startStore } from "../support/store-fixture.js";

const APP = join(projectRoot, "docs/examples/app");
const JWT_SECRET = "readme-app-jwt-secret-0123456789abcdef";

describe("the README's app blocks are the tested files", async () => {
  const blocks = titledBlocks(await readFile(join(projectRoot, "README.md"), "utf8"));

  it.each(["server.ts", "browser.ts"])("%s", async (name) => {
    const file = join(APP, name);
    expect(blocks.get(name), `update the ${name} block in README.md`).toEqual([
      asPublished(await readFile(file, "utf8"), file),
    ]);
  });
});

describe("the README's server.ts and browser.ts", () => {
  let store: StoreFixture;
  let dir: string;
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    store = await startStore();
    dir = await mkdtemp(join(tmpdir(), "upgate-readme-app-"));
    Object.assign(process.env, {
      S3_ENDPOINT: store.url,
      S3_REGION: store.region,
      S3_BUCKET: store.bucket,
      S3_ACCESS_KEY_ID: store.credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: store.credentials.secretAccessKey,
      JWT_SECRET,
      UPGATE_LEDGER: `sqlite:${join(dir, "ledger.db")}`,
      PORT: "0",
    });
    ({ server } = await import("../../docs/examples/app/server.js"));
    if (!server.listening) await once(server, "listening");
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((done) => server?.close(done));
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const token = () =>
    new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("ada")
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(JWT_SECRET));

  it("uploads a PNG that ends verified, and reports a refused file in words", async () => {
    const { imageUploader } = await import("../../docs/examples/app/browser.js");
    const upload = imageUploader(origin, token);
    const lines: string[] = [];
    const [record] = await upload([new File([PNG_1X1], "dot.png", { type: "image/png" })], (line) =>
      lines.push(line),
    );
    expect(record).toMatchObject({
      name: "dot.png",
      status: "verified",
      size: PNG_1X1.length,
      route: "images",
    });
    expect(lines.at(-1)).toBe("dot.png: done 100%");

    lines.length = 0;
    expect(
      await upload([new File(["hello"], "notes.txt", { type: "text/plain" })], (l) => lines.push(l)),
    ).toEqual([]);
    expect(lines.at(-1)).toBe(
      "notes.txt is plain text, not an allowed type for images (allowed: PNG, JPEG, WebP)",
    );
  });
});
