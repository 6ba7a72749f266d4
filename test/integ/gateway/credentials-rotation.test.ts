/**
 * `credentials: "aws"`: the gateway takes role credentials through the real AWS SDK default chain
 * (@aws-sdk/credential-providers), here from loopback stand-ins of the three places roles come from
 * (a web identity token file and STS, the ECS container endpoint, EC2's IMDSv2), each handing out
 * credentials of the embedded store that expire within seconds. Uploads go on across rotations.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  rotation,
  startContainerEndpoint,
  startInstanceMetadata,
  withAwsEnvironment,
} from "../../support/credential-endpoints.js";
import { complete, type Harness, putPng, refreshes, signToken, startGateway } from "./support.js";

const LIFE_SECONDS = 6;
const WEB_IDENTITY_TOKEN = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6Z2F0ZXdheSJ9.";

const keyOf = (url: string) =>
  decodeURIComponent(new URL(url).searchParams.get("X-Amz-Credential")!).split("/")[0]!;

/**
 * Uploads (create, PUT, complete, each verified) until URLs were signed with `sets` different
 * credential sets; every URL's expiry is capped at its credentials' few seconds, and the ledger row agrees.
 */
async function uploadAcrossRotations(
  h: Harness,
  sets: number,
): Promise<{ uploads: number; keys: Set<string> }> {
  const token = await signToken("rotating");
  const keys = new Set<string>();
  let uploads = 0;
  const deadline = Date.now() + 25_000;
  while (keys.size < sets) {
    if (Date.now() > deadline) throw new Error(`only ${keys.size} credential sets signed URLs in 25 s`);
    const put = await putPng(h, token, `r${uploads}.png`);
    // Cut from the route's 5 minutes to the credentials' few seconds, never past them.
    const expiration = h.gateway.storage.credentials.status().expiration!;
    expect(Date.parse(put.expiresAt)).toBeLessThanOrEqual(expiration.getTime());
    expect(Date.parse(put.expiresAt) - Date.now()).toBeLessThanOrEqual((LIFE_SECONDS + 1) * 1000);
    expect((await h.gateway.ledger.get(put.id))?.expiresAt.toISOString()).toBe(put.expiresAt);
    keys.add(keyOf(put.url));
    const done = await complete(h, token, put.id);
    expect(done.res.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.upload.status).toBe("verified");
    uploads += 1;
    await new Promise((r) => setTimeout(r, 150));
  }
  expect(await refreshes(h.gateway)).toBeGreaterThanOrEqual(keys.size);
  return { uploads, keys };
}

describe('credentials: "aws" through the AWS SDK default chain, rotating every few seconds', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "upgate-chain-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const routes = { images: { types: ["image/png"], maxSize: "1MB", expiresIn: "5m" } };

  it("web identity: a token file exchanged at the store's STS (AssumeRoleWithWebIdentity)", async () => {
    const h = await startGateway(
      { storage: { credentials: "aws" }, routes },
      { sts: { lifetimeSeconds: LIFE_SECONDS, webIdentityTokens: [WEB_IDENTITY_TOKEN] } },
    );
    const tokenFile = join(dir, "web-identity-token");
    await writeFile(tokenFile, WEB_IDENTITY_TOKEN);
    try {
      await withAwsEnvironment(
        {
          AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
          AWS_ROLE_ARN: "arn:aws:iam::000000000000:role/upgate-gateway",
          AWS_ROLE_SESSION_NAME: "gateway",
          AWS_REGION: "us-east-1",
          AWS_ENDPOINT_URL_STS: h.storeUrl,
        },
        async () => {
          const { keys } = await uploadAcrossRotations(h, 3);
          expect(keys.size).toBeGreaterThanOrEqual(3);
          expect(h.gateway.storage.credentials.status().source).toBe(
            "AWS default chain: web identity token (STS AssumeRoleWithWebIdentity)",
          );
        },
      );
    } finally {
      await h.close();
    }
  });

  it("ECS: the container credentials endpoint, with its authorization token", async () => {
    const h = await startGateway({ storage: { credentials: "aws" }, routes });
    const creds = rotation(h.store, { rotateMs: 2000, lifeSeconds: LIFE_SECONDS });
    const ecs = await startContainerEndpoint(creds, "container-auth-token");
    try {
      await withAwsEnvironment(
        {
          AWS_CONTAINER_CREDENTIALS_FULL_URI: ecs.fullUri,
          AWS_CONTAINER_AUTHORIZATION_TOKEN: "container-auth-token",
        },
        async () => {
          const { keys } = await uploadAcrossRotations(h, 3);
          expect(keys.size).toBeGreaterThanOrEqual(3);
          expect(creds.sets).toBeGreaterThanOrEqual(3);
          expect(h.gateway.storage.credentials.status().source).toBe(
            "AWS default chain: container credentials endpoint (ECS, EKS Pod Identity)",
          );
        },
      );
    } finally {
      await ecs.close();
      await h.close();
    }
  });

  it("EC2: instance metadata, version 2 (a session token first)", async () => {
    const h = await startGateway({ storage: { credentials: "aws" }, routes });
    const creds = rotation(h.store, { rotateMs: 2000, lifeSeconds: LIFE_SECONDS });
    const imds = await startInstanceMetadata(creds);
    try {
      await withAwsEnvironment({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, async () => {
        const { keys } = await uploadAcrossRotations(h, 3);
        expect(keys.size).toBeGreaterThanOrEqual(3);
        expect(imds.requests).toContain("PUT /latest/api/token");
        expect(h.gateway.storage.credentials.status().source).toBe(
          "AWS default chain: EC2 instance metadata (IMDS)",
        );
      });
    } finally {
      await imds.close();
      await h.close();
    }
  });
});
