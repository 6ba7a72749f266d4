import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { afterAll, beforeAll, expect, it, test } from "vitest";
import type { StorageCredentials } from "../../src/server/s3/credentials/types.js";
import { complete, PNG_1X1, postForm, putPng, refreshes, signToken } from "../integ/gateway/support.js";
import { createRgwBucket, describeRgw } from "./env.js";
import { type RgwGateway, startRgwGateway } from "./gateway.js";

const roleArn = process.env.UPGATE_TEST_RGW_STS_ROLE;
const stsEndpoint = process.env.UPGATE_TEST_RGW_STS_URL;

/**
 * Role credentials from a real STS: Ceph RGW's AssumeRole (scripts/ceph-rgw-up.sh starts a second
 * radosgw with STS on, and creates the role). RGW's sessions last at least 900 s, so the provider reports each as ending 4 s
 * after it began: the gateway takes a new session every couple of seconds, and every upload is
 * signed with a session token RGW checks.
 */
describeRgw("credentials from Ceph RGW's STS (AssumeRole sessions)", (rgw) => {
  if (!roleArn || !stsEndpoint) {
    test("has an STS gateway and a role to assume", () => {
      if (process.env.CI === "true") {
        throw new Error(
          "UPGATE_TEST_RGW_STS_URL or UPGATE_TEST_RGW_STS_ROLE is not set: start RGW with scripts/ceph-rgw-up.sh, which sets them up",
        );
      }
    });
    return;
  }
  let h: RgwGateway;
  let sessions = 0;
  beforeAll(async () => {
    const storage = await createRgwBucket(rgw, "sts");
    const assume = fromTemporaryCredentials({
      params: { RoleArn: roleArn, RoleSessionName: "upgate-rgw-test", DurationSeconds: 900 },
      masterCredentials: { ...rgw.credentials },
      clientConfig: { endpoint: stsEndpoint, region: rgw.region },
    });
    const credentials = async (): Promise<StorageCredentials> => {
      const began = Date.now();
      const session = await assume();
      sessions += 1;
      return { ...session, expiration: new Date(Math.min(session.expiration!.getTime(), began + 4000)) };
    };
    h = startRgwGateway(
      { ...storage, endpoint: stsEndpoint, credentials },
      {
        routes: {
          images: { types: ["image/png"], maxSize: "1MB" },
          forms: { types: ["image/png"], maxSize: "1MB", strategy: "post" },
        },
      },
    );
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it("uploads (PUT and POST) across several sessions, each verified", { timeout: 60_000 }, async () => {
    const token = await signToken("sts");
    const keys = new Set<string>();
    for (let i = 0; sessions < 4 || i < 4; i++) {
      if (i > 40) throw new Error(`only ${sessions} sessions after ${i} uploads`);
      const put = await putPng(h, token, `s${i}.png`);
      keys.add(new URL(put.url).searchParams.get("X-Amz-Credential")!.split("/")[0]!);
      expect(new URL(put.url).searchParams.get("X-Amz-Security-Token")).toBeTruthy();
      expect(Date.parse(put.expiresAt) - Date.now()).toBeLessThanOrEqual(4000);
      const done = await complete(h, token, put.id);
      expect(done.body.upload?.status, JSON.stringify(done.body)).toBe("verified");

      const created = await h.api("/v1/uploads", {
        token,
        body: { route: "forms", files: [{ name: `f${i}.png`, type: "image/png", size: PNG_1X1.length }] },
      });
      const form = (
        (await created.json()) as {
          uploads: Array<{ id: string; url: string; fields: Record<string, string> }>;
        }
      ).uploads[0]!;
      expect(form.fields["x-amz-security-token"]).toBeTruthy();
      expect((await postForm(form, PNG_1X1, "image/png")).status).toBeLessThan(300);
      expect((await complete(h, token, form.id)).body.upload?.status).toBe("verified");
      await new Promise((r) => setTimeout(r, 400));
    }
    expect(keys.size).toBeGreaterThanOrEqual(3);
    expect(await refreshes(h.gateway)).toBe(sessions);
  });
});
