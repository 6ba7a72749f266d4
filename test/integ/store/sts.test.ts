import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { fromTemporaryCredentials, fromTokenFile } from "@aws-sdk/credential-providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostPolicy } from "../../../src/core/sigv4/post-policy.js";
import { presignUrl } from "../../../src/core/sigv4/presign.js";
import { signRequest } from "../../../src/core/sigv4/sign-request.js";
import type { TemporaryCredentials } from "../../../src/store/index.js";
import { parseS3Error, sdkFailure } from "../../support/s3-error.js";
import { type StoreFixture, startStore, TEST_CREDENTIALS } from "../../support/store-fixture.js";

const LIFETIME = 30;
const WEB_IDENTITY_TOKEN = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YXBwIn0.";
const ROLE = "arn:aws:iam::000000000000:role/upgate-gateway";

describe("the store's temporary credentials and STS endpoint", () => {
  let f: StoreFixture;
  let dir: string;
  let tokenFile: string;
  /** The store's clock runs this far ahead of the real one. */
  let ahead = 0;

  beforeAll(async () => {
    f = await startStore({
      options: {
        now: () => new Date(Date.now() + ahead),
        sts: { lifetimeSeconds: LIFETIME, webIdentityTokens: [WEB_IDENTITY_TOKEN] },
      },
    });
    dir = await mkdtemp(join(tmpdir(), "upgate-sts-"));
    tokenFile = join(dir, "token");
    await writeFile(tokenFile, WEB_IDENTITY_TOKEN);
  });
  afterAll(async () => {
    await f.close();
    await rm(dir, { recursive: true, force: true });
  });

  const clientConfig = () => ({ endpoint: f.url, region: f.region });
  const s3With = (credentials: TemporaryCredentials | (() => Promise<TemporaryCredentials>)) =>
    new S3Client({ endpoint: f.url, region: f.region, forcePathStyle: true, credentials, maxAttempts: 1 });

  async function roundTrip(client: S3Client, key: string): Promise<string> {
    try {
      await client.send(new PutObjectCommand({ Bucket: f.bucket, Key: key, Body: "hello" }));
      const got = await client.send(new GetObjectCommand({ Bucket: f.bucket, Key: key }));
      return await got.Body!.transformToString();
    } finally {
      client.destroy();
    }
  }

  it("AssumeRole (signed by a store key) issues credentials the SDK parses and S3 accepts", async () => {
    const provider = fromTemporaryCredentials({
      params: { RoleArn: ROLE, RoleSessionName: "gateway" },
      masterCredentials: { ...TEST_CREDENTIALS },
      clientConfig: clientConfig(),
    });
    const creds = await provider();
    expect(creds.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(creds.sessionToken).toBeTruthy();
    const left = creds.expiration!.getTime() - Date.now();
    expect(left).toBeGreaterThan((LIFETIME - 2) * 1000);
    expect(left).toBeLessThanOrEqual(LIFETIME * 1000);
    expect(await roundTrip(s3With(creds as TemporaryCredentials), "sts/assume-role")).toBe("hello");
  });

  it("AssumeRoleWithWebIdentity takes a listed token from the token file", async () => {
    const provider = fromTokenFile({
      webIdentityTokenFile: tokenFile,
      roleArn: ROLE,
      roleSessionName: "web",
      clientConfig: clientConfig(),
    });
    const creds = await provider();
    expect(creds.accessKeyId).toMatch(/^ASIA/);
    expect(await roundTrip(s3With(creds as TemporaryCredentials), "sts/web-identity")).toBe("hello");
  });

  it("refuses, in STS's terms: an unlisted web identity token, an unknown key, a wrong secret", async () => {
    const other = join(dir, "other-token");
    await writeFile(other, "not-a-listed-token");
    const web = fromTokenFile({ webIdentityTokenFile: other, roleArn: ROLE, clientConfig: clientConfig() });
    // The SDK maps STS's InvalidIdentityToken code to its modeled exception.
    await expect(web()).rejects.toMatchObject({
      name: "InvalidIdentityTokenException",
      $metadata: { httpStatusCode: 400 },
    });
    const assume = (masterCredentials: { accessKeyId: string; secretAccessKey: string }) =>
      fromTemporaryCredentials({
        params: { RoleArn: ROLE },
        masterCredentials,
        clientConfig: clientConfig(),
      })();
    await expect(assume({ accessKeyId: "AKIDUNKNOWN", secretAccessKey: "x" })).rejects.toMatchObject({
      name: "InvalidClientTokenId",
      message: "The security token included in the request is invalid.",
    });
    await expect(
      assume({ accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: "wrong" }),
    ).rejects.toMatchObject({ name: "SignatureDoesNotMatch", $metadata: { httpStatusCode: 403 } });
  });

  it("refuses DurationSeconds outside STS's range with a ValidationError", async () => {
    const provider = fromTemporaryCredentials({
      params: { RoleArn: ROLE, RoleSessionName: "short", DurationSeconds: 60 },
      masterCredentials: { ...TEST_CREDENTIALS },
      clientConfig: clientConfig(),
    });
    await expect(provider()).rejects.toMatchObject({
      name: "ValidationError",
      message:
        "1 validation error detected: Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    });
  });

  describe("checks the session token on every request", () => {
    let creds: TemporaryCredentials;
    beforeAll(() => {
      creds = f.store.issueCredentials(LIFETIME);
    });

    const target = (key: string) => ({
      endpoint: f.url,
      bucket: f.bucket,
      key,
      forcePathStyle: true,
      region: f.region,
    });
    const putUrl = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
      presignUrl({ ...target("sts/presigned"), method: "PUT", credentials, expiresIn: 600 });

    it("a presigned URL: accepted with the token; InvalidAccessKeyId without; InvalidToken with another", async () => {
      const ok = await putUrl(creds);
      expect((await fetch(ok.url, { method: "PUT", body: "x" })).status).toBe(200);
      const { sessionToken: _, ...withoutToken } = creds;
      const none = await fetch((await putUrl(withoutToken)).url, { method: "PUT", body: "x" });
      expect(parseS3Error(await none.text(), none.status)).toMatchObject({
        status: 403,
        code: "InvalidAccessKeyId",
      });
      const other = await fetch((await putUrl({ ...creds, sessionToken: "other" })).url, {
        method: "PUT",
        body: "x",
      });
      expect(parseS3Error(await other.text(), other.status)).toMatchObject({
        status: 400,
        code: "InvalidToken",
        message: "The provided token is malformed or otherwise invalid.",
      });
    });

    it("past the expiry: ExpiredToken in S3's words for a URL, header auth and a POST form; HEAD gets a bare 400", async () => {
      const url = await putUrl(creds);
      const form = await createPostPolicy({
        ...target("sts/form"),
        credentials: creds,
        expiresIn: 600,
      });
      const list = await signRequest({
        method: "GET",
        url: `${f.url}/${f.bucket}?list-type=2`,
        headers: {},
        payloadHash: "UNSIGNED-PAYLOAD",
        region: f.region,
        credentials: creds,
      });
      const client = s3With(creds);
      ahead = LIFETIME * 1000 + 1000;
      try {
        const put = await fetch(url.url, { method: "PUT", body: "x" });
        const expired = parseS3Error(await put.text(), put.status);
        expect(expired).toMatchObject({
          status: 400,
          code: "ExpiredToken",
          message: "The provided token has expired.",
        });
        expect(expired.fields["Token-0"]).toBe(creds.sessionToken);

        const listed = await fetch(`${f.url}/${f.bucket}?list-type=2`, { headers: list.headers });
        expect(parseS3Error(await listed.text(), listed.status)).toMatchObject({
          status: 400,
          code: "ExpiredToken",
        });

        const body = new FormData();
        for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
        body.append("file", new Blob(["x"]));
        const posted = await fetch(form.url, { method: "POST", body });
        expect(parseS3Error(await posted.text(), posted.status)).toMatchObject({
          status: 400,
          code: "ExpiredToken",
        });

        const head = await sdkFailure(
          client.send(new HeadObjectCommand({ Bucket: f.bucket, Key: "sts/presigned" })),
        );
        expect(head.status).toBe(400);
      } finally {
        ahead = 0;
        client.destroy();
      }
    });
  });
});
