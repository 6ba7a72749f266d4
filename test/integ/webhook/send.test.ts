import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { UploadRecord } from "../../../src/core/protocol.js";
import {
  type SendWebhookOptions,
  sendWebhook,
  uploadVerifiedEvent,
  verifyWebhookSignature,
} from "../../../src/server/webhook/index.js";
import { type Receiver, startReceiver } from "./receiver.js";

const SECRET = "whsec_integration_secret";
const UPLOAD: UploadRecord = {
  id: "up_1",
  route: "images",
  name: "cat.png",
  key: "images/alice/abc.png",
  status: "verified",
  size: 68,
  type: "image/png",
  sha256: "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=",
  createdAt: "2025-01-01T00:00:00.000Z",
  completedAt: "2025-01-01T00:00:01.000Z",
};

let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(() => receiver.close());

const options = (extra: Partial<SendWebhookOptions> = {}): SendWebhookOptions => ({
  url: receiver.url,
  secret: SECRET,
  event: uploadVerifiedEvent(UPLOAD, "client"),
  retries: 2,
  timeoutMs: 2_000,
  backoffMs: 5,
  ...extra,
});

describe("sendWebhook to a node:http receiver", () => {
  it("POSTs the signed JSON event once, and the receiver can verify it", async () => {
    const sent = options();
    const outcome = await sendWebhook(sent);
    expect(outcome).toMatchObject({ delivered: true, status: 200, eventId: sent.event.id });
    expect(outcome.attempts).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery!.method).toBe("POST");
    expect(delivery!.url).toBe("/hooks/upgate");
    expect(delivery!.headers["content-type"]).toBe("application/json");
    expect(delivery!.headers["upgate-event-id"]).toBe(sent.event.id);
    expect(JSON.parse(delivery!.body.toString())).toEqual({
      id: sent.event.id,
      type: "upload.verified",
      createdAt: sent.event.createdAt,
      completedBy: "client",
      upload: UPLOAD,
    });
    const header = delivery!.headers["upgate-signature"] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(await verifyWebhookSignature(SECRET, header, delivery!.body)).toMatchObject({ ok: true });
  });

  it("fails verification for a tampered body, a wrong secret or a replay past the tolerance", async () => {
    await sendWebhook(options());
    const { headers, body } = receiver.received[0]!;
    const header = headers["upgate-signature"] as string;
    const tampered = Buffer.from(body.toString().replace('"size":68', '"size":69'));
    expect(await verifyWebhookSignature(SECRET, header, tampered)).toEqual({ ok: false, reason: "mismatch" });
    expect(await verifyWebhookSignature("whsec_wrong", header, body)).toEqual({
      ok: false,
      reason: "mismatch",
    });
    const later = new Date(Date.now() + 301_000);
    expect(await verifyWebhookSignature(SECRET, header, body, 300, later)).toEqual({
      ok: false,
      reason: "outside-tolerance",
    });
  });

  it("retries 500 and 503, then succeeds, with the same event id and a valid signature each time", async () => {
    receiver.answer(500, 503, 200);
    const sent = options();
    const outcome = await sendWebhook(sent);
    expect(outcome.delivered).toBe(true);
    expect(outcome.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    expect(receiver.received).toHaveLength(3);
    for (const delivery of receiver.received) {
      expect(delivery.headers["upgate-event-id"]).toBe(sent.event.id);
      const header = delivery.headers["upgate-signature"] as string;
      expect((await verifyWebhookSignature(SECRET, header, delivery.body)).ok).toBe(true);
    }
  });

  it("gives up after the retries and reports the last status", async () => {
    receiver.answer(500);
    const outcome = await sendWebhook(options({ retries: 3 }));
    expect(outcome).toMatchObject({ delivered: false, status: 500, error: "the receiver answered 500" });
    expect(outcome.attempts).toHaveLength(4);
    expect(receiver.received).toHaveLength(4);
  });

  it("retries 429 but takes any other 4xx as final", async () => {
    receiver.answer(429, 400);
    const outcome = await sendWebhook(options({ retries: 5 }));
    expect(outcome.attempts.map((a) => a.status)).toEqual([429, 400]);
    expect(outcome.delivered).toBe(false);
    expect(receiver.received).toHaveLength(2);
  });

  it("does not follow redirects", async () => {
    receiver.answer(307);
    const outcome = await sendWebhook(options());
    expect(outcome).toMatchObject({ delivered: false, status: 307 });
    expect(receiver.received.map((r) => r.url)).toEqual(["/hooks/upgate"]);
  });

  it("times out a receiver that never answers, and retries", async () => {
    receiver.answer("hang", 200);
    const outcome = await sendWebhook(options({ timeoutMs: 150 }));
    expect(outcome.attempts[0]).toMatchObject({ error: "timed out" });
    expect(outcome.attempts[0]!.durationMs).toBeGreaterThanOrEqual(140);
    expect(outcome).toMatchObject({ delivered: true, status: 200 });
  });

  it("retries dropped connections and reports the network error when they persist", async () => {
    receiver.answer("drop");
    const outcome = await sendWebhook(options({ retries: 1 }));
    expect(outcome.delivered).toBe(false);
    expect(outcome.attempts).toHaveLength(2);
    expect(outcome.status).toBeUndefined();
    expect(outcome.error).toMatch(/fetch failed|socket|other side closed/i);
  });

  it("waits between retries, longer each time", async () => {
    receiver.answer(500);
    const started = performance.now();
    await sendWebhook(options({ retries: 2, backoffMs: 60 }));
    // Delays are at least half of 60 ms, then of 120 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
  });

  it("abandons the delivery when its signal aborts: the attempt in flight is cut and no retry follows", async () => {
    receiver.answer("hang");
    const abandon = new AbortController();
    const delivering = sendWebhook(options({ retries: 5, timeoutMs: 30_000, signal: abandon.signal }));
    while (receiver.received.length === 0) await new Promise((r) => setTimeout(r, 5));
    abandon.abort();
    const outcome = await delivering;
    expect(outcome).toMatchObject({ delivered: false, error: "abandoned" });
    expect(outcome.attempts).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
  });

  it("does not start a retry once abandoned during the wait before it", async () => {
    receiver.answer(500);
    const abandon = new AbortController();
    const delivering = sendWebhook(options({ retries: 5, backoffMs: 30_000, signal: abandon.signal }));
    while (receiver.received.length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    abandon.abort();
    const outcome = await delivering;
    expect(outcome.attempts.map((a) => a.status ?? a.error)).toEqual([500, "abandoned"]);
    expect(receiver.received).toHaveLength(1);
  });

  it("never throws into the caller, whatever fetch does", async () => {
    const outcome = await sendWebhook(
      options({
        retries: 1,
        fetch: () => {
          throw new TypeError("fetch is broken");
        },
      }),
    );
    expect(outcome).toMatchObject({ delivered: false, error: "fetch is broken" });
    expect(outcome.attempts).toHaveLength(2);
    const unserializable = { ...uploadVerifiedEvent(UPLOAD, "client"), upload: { size: 1n } } as never;
    const bad = await sendWebhook(options({ event: unserializable }));
    expect(bad.delivered).toBe(false);
    expect(bad.error).toMatch(/BigInt/);
    expect(receiver.received).toHaveLength(0);
  });
});
