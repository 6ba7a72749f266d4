import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { app } from "../../../docs/examples/webhook-receiver.js";
import type { UploadRecord } from "../../../src/core/protocol.js";
import { sendWebhook, signWebhook, uploadVerifiedEvent } from "../../../src/server/webhook/index.js";
import { listenOnLoopback } from "../adapters/listen.js";

const SECRET = "whsec_docs_example";
const UPLOAD: UploadRecord = {
  id: "up_docs",
  route: "images",
  name: "cat.png",
  key: "images/alice/abc.png",
  status: "verified",
  size: 68,
  type: "image/png",
  createdAt: "2025-01-01T00:00:00.000Z",
};

let server: Awaited<ReturnType<typeof listenOnLoopback>>;
beforeAll(async () => {
  process.env.UPGATE_WEBHOOK_SECRET = SECRET;
  server = await listenOnLoopback(createServer(app));
});
afterAll(async () => {
  await server.close();
  delete process.env.UPGATE_WEBHOOK_SECRET;
});

describe("the webhook receiver in docs/server-frameworks.md (docs/examples/webhook-receiver.ts)", () => {
  const url = () => `${server.origin}/hooks/upgate`;

  it("accepts a delivery from sendWebhook and spots its retry as a duplicate", async () => {
    const event = uploadVerifiedEvent(UPLOAD, "client");
    const first = await sendWebhook({ url: url(), secret: SECRET, event, retries: 0, timeoutMs: 2_000 });
    expect(first).toMatchObject({ delivered: true, status: 200 });
    const again = await fetch(url(), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "upgate-signature": await signWebhook(SECRET, JSON.stringify(event)),
      },
      body: JSON.stringify(event),
    });
    expect(await again.json()).toEqual({ received: event.id, duplicate: true });
  });

  it("refuses a tampered body, a foreign secret and an unsigned request with 400", async () => {
    const body = JSON.stringify(uploadVerifiedEvent(UPLOAD, "client"));
    const send = async (signature: string | undefined, sent = body) =>
      fetch(url(), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(signature ? { "upgate-signature": signature } : {}),
        },
        body: sent,
      });
    const tampered = await send(await signWebhook(SECRET, body), body.replace('"size":68', '"size":1'));
    expect([tampered.status, await tampered.json()]).toEqual([400, { error: "mismatch" }]);
    const foreign = await send(await signWebhook("whsec_someone_else", body));
    expect([foreign.status, await foreign.json()]).toEqual([400, { error: "mismatch" }]);
    const unsigned = await send(undefined);
    expect([unsigned.status, await unsigned.json()]).toEqual([400, { error: "malformed" }]);
  });
});
