import { expect } from "vitest";
import type { Credentials } from "../../src/core/sigv4/canonical.js";
import { signRequest } from "../../src/core/sigv4/sign-request.js";
import { headerValue } from "./raw-http.js";
import { type BotocoreCase, loadAwsCAuthCase } from "./vectors.js";

/**
 * The classic suite has no context file: every case signs with the same key, region, service and
 * time, which aws-c-auth's get-vanilla/context.json records (README: "Common inputs").
 */
export function botocoreInputs(): { credentials: Credentials; region: string; service: string; date: Date } {
  const ctx = loadAwsCAuthCase("get-vanilla").context;
  return {
    credentials: {
      accessKeyId: ctx.credentials.access_key_id,
      secretAccessKey: ctx.credentials.secret_access_key,
    },
    region: ctx.region,
    service: ctx.service,
    date: new Date(ctx.timestamp),
  };
}

/**
 * botocore's own harness (tests/unit/auth/test_sigv4.py) takes the session token from the
 * x-amz-security-token line of the expected canonical request: the .req files do not all carry it.
 */
const tokenOf = (creq: string): string | undefined => /^x-amz-security-token:(.*)$/m.exec(creq)?.[1];

/**
 * One case: .req in, .creq, .sts and .authz out, exactly. The .sreq files are not compared: upstream,
 * get-vanilla-with-session-token.sreq carries get-vanilla's signature, and botocore skips them too.
 * The service is generic, so the default path handling (dot segments removed) applies.
 */
export async function checkBotocoreCase(c: BotocoreCase): Promise<void> {
  const { credentials, region, service, date } = botocoreInputs();
  const creq = c.read("creq");
  const token = tokenOf(creq);
  const host = headerValue(c.request, "host");
  expect(host).toBeDefined();
  const signed = await signRequest({
    method: c.request.method,
    url: `https://${host!.trim()}${c.request.target}`,
    headers: c.request.headers,
    body: c.request.body,
    region,
    service,
    credentials: token === undefined ? credentials : { ...credentials, sessionToken: token },
    date,
  });
  expect(signed.canonicalRequest).toBe(creq);
  expect(signed.stringToSign).toBe(c.read("sts"));
  expect(signed.headers.authorization).toBe(c.read("authz"));
}
