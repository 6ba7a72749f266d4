import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhookSignature } from "./signature.js";

const SECRET = "whsec_test_0123456789";
const BODY = '{"id":"evt_1","type":"upload.verified"}';
const T = 1_700_000_000;
const AT_T = new Date(T * 1000);

/** The scheme, computed independently with node:crypto. */
const reference = (secret: string, t: number, body: string) =>
  createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");

describe("upgate-signature", () => {
  it("is t=<seconds>,v1=<hex HMAC-SHA256(secret, '<t>.<body>')>", async () => {
    expect(await signWebhook(SECRET, BODY, T)).toBe(`t=${T},v1=${reference(SECRET, T, BODY)}`);
  });

  it("signs bytes and strings alike", async () => {
    expect(await signWebhook(SECRET, new TextEncoder().encode(BODY), T)).toBe(
      await signWebhook(SECRET, BODY, T),
    );
  });

  it("verifies within the tolerance, either side of the receiver's clock", async () => {
    const header = await signWebhook(SECRET, BODY, T);
    expect(await verifyWebhookSignature(SECRET, header, BODY, 300, AT_T)).toEqual({ ok: true, timestamp: T });
    expect((await verifyWebhookSignature(SECRET, header, BODY, 300, new Date((T + 300) * 1000))).ok).toBe(
      true,
    );
    expect((await verifyWebhookSignature(SECRET, header, BODY, 300, new Date((T - 300) * 1000))).ok).toBe(
      true,
    );
  });

  it.each([
    ["a later clock", T + 301],
    ["an earlier clock", T - 301],
  ])("refuses a timestamp outside the tolerance (%s)", async (_name, nowSeconds) => {
    const header = await signWebhook(SECRET, BODY, T);
    expect(await verifyWebhookSignature(SECRET, header, BODY, 300, new Date(nowSeconds * 1000))).toEqual({
      ok: false,
      reason: "outside-tolerance",
    });
  });

  it("refuses another body, another secret and a re-dated header", async () => {
    const header = await signWebhook(SECRET, BODY, T);
    const mismatch = { ok: false, reason: "mismatch" };
    expect(await verifyWebhookSignature(SECRET, header, `${BODY} `, 300, AT_T)).toEqual(mismatch);
    expect(await verifyWebhookSignature("whsec_other", header, BODY, 300, AT_T)).toEqual(mismatch);
    const redated = header.replace(`t=${T}`, `t=${T + 1}`);
    expect(await verifyWebhookSignature(SECRET, redated, BODY, 300, AT_T)).toEqual(mismatch);
  });

  it.each([
    [undefined],
    [null],
    [""],
    ["v1=abc"],
    [`t=${T}`],
    [`t=${T},v1=nothex`],
    [`t=soon,v1=${"0".repeat(64)}`],
    [`t=${T},t=${T},v1=${"0".repeat(64)}`],
    ["garbage"],
  ])("calls %j malformed", async (header) => {
    expect(await verifyWebhookSignature(SECRET, header, BODY, 300, AT_T)).toEqual({
      ok: false,
      reason: "malformed",
    });
  });

  it("accepts any one matching v1 and any one of several secrets (rotation), ignoring other schemes", async () => {
    const header = `t=${T},v0=zzz,v1=${"0".repeat(64)},v1=${reference(SECRET, T, BODY)}`;
    expect((await verifyWebhookSignature(SECRET, header, BODY, 300, AT_T)).ok).toBe(true);
    const signedWithNew = await signWebhook("whsec_new", BODY, T);
    expect(
      (await verifyWebhookSignature(["whsec_old", "whsec_new"], signedWithNew, BODY, 300, AT_T)).ok,
    ).toBe(true);
  });
});
