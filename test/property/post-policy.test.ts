import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hmacSha256Hex } from "../../src/core/sigv4/crypto.js";
import { signingKey } from "../../src/core/sigv4/signing-key.js";
import { SEED } from "../support/sigv4-arbitraries.js";
import { createPost, type Posted, postSpecArb, setField, verifyPost } from "./post-fixture.js";
import { ALNUM, editArb, failureOf, replaceOne, VISIBLE } from "./tamper.js";

const RUNS = { seed: SEED, numRuns: 200 };
const field = (p: Posted, name: string) => p.fields.find(([n]) => n.toLowerCase() === name.toLowerCase())![1];
const failed = (c: unknown[]) =>
  `Invalid according to Policy: Policy Condition failed: [${c.map((v) => JSON.stringify(v)).join(", ")}]`;

describe("createPostPolicy → verifyPostPolicy", () => {
  it("accepts the form as created, with the file name substituted and the size range returned", async () => {
    await fc.assert(
      fc.asyncProperty(postSpecArb, async (spec) => {
        const p = await createPost(spec);
        const r = await verifyPost(p);
        if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
        expect(r.post.key).toBe(p.expectedKey);
        expect(r.post.accessKeyId).toBe(spec.credentials.accessKeyId);
        expect(r.post.expiresAt).toEqual(new Date(spec.date.getTime() + spec.expiresIn * 1000));
        expect(r.post.contentLengthRange).toEqual(spec.range && { min: spec.range[0], max: spec.range[1] });
        for (const [name, value] of spec.fields) expect(r.post.fields.get(name.toLowerCase())).toBe(value);
      }),
      RUNS,
    );
  });

  it("refuses a changed key or field, quoting the failed condition", async () => {
    await fc.assert(
      fc.asyncProperty(postSpecArb, fc.nat(), editArb, async (spec, which, edit) => {
        const p = await createPost(spec);
        const prefix = "prefix" in spec.key ? spec.key.prefix : undefined;
        const names = [...(prefix === "" ? [] : ["key"]), ...spec.fields.map(([n]) => n)];
        fc.pre(names.length > 0);
        const name = names[which % names.length]!;
        const value = field(p, name);
        let changed: string;
        let condition: unknown[];
        if (name === "key" && prefix !== undefined) {
          // Change the prefix part: a change inside "${filename}" would still start with the prefix.
          changed = `${replaceOne(prefix, edit, `${ALNUM}/`)}\${filename}`;
          condition = ["starts-with", "$key", prefix];
        } else {
          changed = replaceOne(value || " ", edit, VISIBLE);
          condition = ["eq", `$${name}`, name === "key" ? value : spec.fields.find(([n]) => n === name)![1]];
        }
        const f = failureOf(await verifyPost(p, { fields: setField(p.fields, name, changed) }));
        expect([f.code, f.status, f.message]).toEqual(["AccessDenied", 403, failed(condition)]);
      }),
      RUNS,
    );
  });

  it("refuses a changed policy or signature with SignatureDoesNotMatch", async () => {
    await fc.assert(
      fc.asyncProperty(postSpecArb, fc.boolean(), editArb, async (spec, policy, edit) => {
        const p = await createPost(spec);
        const name = policy ? "policy" : "x-amz-signature";
        const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
        const changed = replaceOne(field(p, name), edit, policy ? b64 : "0123456789abcdef");
        const f = failureOf(await verifyPost(p, { fields: setField(p.fields, name, changed) }));
        expect([f.code, f.status]).toEqual(["SignatureDoesNotMatch", 403]);
      }),
      RUNS,
    );
  });
});

describe("verifyPostPolicy: fixed cases", () => {
  const spec = {
    endpoint: "https://s3.us-east-1.amazonaws.com",
    bucket: "uploads",
    key: { exact: "x" },
    fileName: "cat.png",
    fields: [["Content-Type", "image/png"]] as Array<[string, string]>,
    range: [1, 1024] as [number, number],
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "s3cr3t", sessionToken: "tok" },
    expiresIn: 600,
    date: new Date("2024-05-06T07:08:09Z"),
    nowAt: 0,
    shout: false,
  };

  it("quotes the key condition exactly as S3 does", async () => {
    const p = await createPost(spec);
    const f = failureOf(await verifyPost(p, { fields: setField(p.fields, "key", "y") }));
    expect(f.message).toBe('Invalid according to Policy: Policy Condition failed: ["eq", "$key", "x"]');
  });

  it("refuses another bucket", async () => {
    const p = await createPost(spec);
    const f = failureOf(await verifyPost(p, { bucket: "other" }));
    expect(f.message).toBe(
      'Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "uploads"]',
    );
  });

  it("refuses an expired policy, and accepts it up to its last millisecond", async () => {
    const p = await createPost(spec);
    const end = spec.date.getTime() + 600_000;
    expect((await verifyPost(p, { now: new Date(end) })).ok).toBe(true);
    const f = failureOf(await verifyPost(p, { now: new Date(end + 1) }));
    expect([f.code, f.status, f.message]).toEqual([
      "AccessDenied",
      403,
      "Invalid according to Policy: Policy expired.",
    ]);
  });

  it("refuses a field no condition covers, but not x-ignore-* ones", async () => {
    const p = await createPost(spec);
    const f = failureOf(await verifyPost(p, { fields: [...p.fields, ["X-Amz-Meta-Foo", "1"]] }));
    expect(f.message).toBe("Invalid according to Policy: Extra input fields: x-amz-meta-foo");
    expect((await verifyPost(p, { fields: [...p.fields, ["x-ignore-me", "1"]] })).ok).toBe(true);
  });

  it.each([
    ["http://127.0.0.1:9000", "http://127.0.0.1:9000/uploads"],
    ["http://[::1]:9000", "http://[::1]:9000/uploads"],
    ["http://localhost:9000", "http://uploads.localhost:9000/"],
    ["https://s3.us-east-1.amazonaws.com", "https://uploads.s3.us-east-1.amazonaws.com/"],
  ])("posts to %s as %s (path style for IP literals)", async (endpoint, url) => {
    expect((await createPost({ ...spec, endpoint })).policy.url).toBe(url);
  });

  it("returns the content-length-range", async () => {
    const r = await verifyPost(await createPost(spec));
    expect(r.ok && r.post.contentLengthRange).toEqual({ min: 1, max: 1024 });
  });

  it("refuses an unknown access key and a session token other than the key's", async () => {
    const p = await createPost(spec);
    expect(failureOf(await verifyPost(p, { lookup: () => undefined })).code).toBe("InvalidAccessKeyId");
    const f = failureOf(await verifyPost(p, { fields: setField(p.fields, "x-amz-security-token", "other") }));
    expect([f.code, f.status]).toEqual(["InvalidToken", 400]);
  });

  it("refuses a form whose session token has expired with ExpiredToken, though the policy has not", async () => {
    const p = await createPost(spec);
    const expired = () => ({ ...spec.credentials, expiration: new Date(0) });
    const f = failureOf(await verifyPost(p, { lookup: expired }));
    expect([f.code, f.status, f.message]).toEqual(["ExpiredToken", 400, "The provided token has expired."]);
  });

  it.each([
    ["not base64", "!!not base64!!"],
    ["not JSON", Buffer.from("{expiration").toString("base64")],
    ["not UTF-8", Buffer.from([0x7b, 0xff, 0x7d]).toString("base64")],
    ["no expiration", Buffer.from('{"conditions":[]}').toString("base64")],
    ["a bad expiration", Buffer.from('{"expiration":"soon","conditions":[]}').toString("base64")],
    ["no conditions", Buffer.from('{"expiration":"2030-01-01T00:00:00Z"}').toString("base64")],
    [
      "a bad condition",
      Buffer.from('{"expiration":"2030-01-01T00:00:00Z","conditions":[["gt","$key",1]]}').toString("base64"),
    ],
  ])("refuses a correctly signed policy that is %s with InvalidPolicyDocument", async (_, policy) => {
    const p = await createPost(spec);
    const key = await signingKey("s3cr3t", "20240506", "us-east-1", "s3");
    const fields = setField(
      setField(p.fields, "policy", policy),
      "x-amz-signature",
      await hmacSha256Hex(key, policy),
    );
    const f = failureOf(await verifyPost(p, { fields }));
    expect([f.code, f.status]).toEqual(["InvalidPolicyDocument", 400]);
  });
});
