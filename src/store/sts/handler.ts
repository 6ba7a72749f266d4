import { createHash } from "node:crypto";
import { pairsFromRaw } from "../../core/sigv4/headers.js";
import { isoSeconds } from "../../core/sigv4/time.js";
import { verifyRequest } from "../../core/sigv4/verify.js";
import type { RequestContext } from "../context.js";
import { S3Error } from "../errors.js";
import type { TemporaryCredentials } from "./registry.js";
import { sendStsError, sendStsResult } from "./respond.js";
import { StsError, stsAuthError, validationError } from "./sts-error.js";

const MAX_BODY = 64 * 1024;
const MIN_DURATION = 900;
const MAX_DURATION = 43_200;
const DEFAULT_DURATION = 3600;
const ACCOUNT = "000000000000";

/**
 * POST / with a form body: the two STS actions credential providers use, answered as STS answers
 * them. AssumeRole is signed (service "sts") by any key the store knows; AssumeRoleWithWebIdentity
 * is unsigned and needs a token listed in the store's sts.webIdentityTokens.
 */
export async function sts(ctx: RequestContext): Promise<void> {
  try {
    const body = await readForm(ctx);
    const params = new URLSearchParams(body.toString("utf8"));
    const action = params.get("Action");
    if (action === "AssumeRole") {
      await authenticate(ctx, body);
      answer(ctx, "AssumeRole", params, {});
    } else if (action === "AssumeRoleWithWebIdentity") {
      const token = required(params, "WebIdentityToken", "webIdentityToken");
      if (!(ctx.state.options.sts?.webIdentityTokens ?? []).includes(token)) {
        throw new StsError(
          "InvalidIdentityToken",
          400,
          "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.",
        );
      }
      const subject = jwtSubject(token);
      answer(ctx, "AssumeRoleWithWebIdentity", params, {
        ...(subject !== undefined && { SubjectFromWebIdentityToken: subject }),
        Provider: "upgate-store",
      });
    } else {
      throw new StsError(
        "InvalidAction",
        400,
        `Could not find operation ${action ?? "null"} for version ${params.get("Version") ?? "NO_VERSION_SPECIFIED"}`,
      );
    }
  } catch (err) {
    if (err instanceof StsError) sendStsError(ctx.res, ctx.requestId, err);
    else if (err instanceof S3Error)
      sendStsError(ctx.res, ctx.requestId, new StsError(err.code, err.status, err.message));
    else throw err;
  }
}

async function readForm(ctx: RequestContext): Promise<Buffer> {
  try {
    return await ctx.readSmallBody(MAX_BODY);
  } catch (err) {
    if (err instanceof S3Error && err.code === "MaxMessageLengthExceeded") {
      throw new StsError("RequestEntityTooLarge", 413, "Request body is too large");
    }
    throw err;
  }
}

/** The signature, over the form as sent: STS clients sign the body's hash without sending it. */
async function authenticate(ctx: RequestContext, body: Buffer): Promise<void> {
  const payloadHash = createHash("sha256").update(body).digest("hex");
  const declared = ctx.headers.get("x-amz-content-sha256");
  const result = await verifyRequest(
    { method: ctx.method, url: ctx.req.url ?? "/", headers: pairsFromRaw(ctx.req.rawHeaders), payloadHash },
    {
      region: ctx.state.region,
      service: "sts",
      lookupSecret: (id) => ctx.state.credentials.lookup(id),
      now: ctx.state.now(),
      ...(ctx.state.options.maxSkewMs !== undefined ? { maxSkewMs: ctx.state.options.maxSkewMs } : {}),
    },
  );
  if (!result.ok) throw stsAuthError(result.error);
  if (declared !== undefined && declared !== payloadHash) {
    throw stsAuthError({ code: "SignatureDoesNotMatch", status: 403, message: "", details: [] });
  }
}

function required(params: URLSearchParams, name: string, member: string): string {
  const value = params.get(name);
  if (value === null || value === "") {
    throw validationError(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function durationSeconds(params: URLSearchParams): number {
  const text = params.get("DurationSeconds");
  if (text === null) return DEFAULT_DURATION;
  const n = Number(text);
  if (!Number.isInteger(n) || n < MIN_DURATION) {
    throw validationError(
      `Value '${text}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to ${MIN_DURATION}`,
    );
  }
  if (n > MAX_DURATION) {
    throw validationError(
      `Value '${text}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to ${MAX_DURATION}`,
    );
  }
  return n;
}

/** Issues credentials and answers with them and the assumed role's user. */
function answer(
  ctx: RequestContext,
  action: "AssumeRole" | "AssumeRoleWithWebIdentity",
  params: URLSearchParams,
  extra: Record<string, string>,
): void {
  const roleArn = required(params, "RoleArn", "roleArn");
  const session = required(params, "RoleSessionName", "roleSessionName");
  if (!/^[\w+=,.@-]{2,64}$/.test(session)) {
    throw validationError(
      `Value '${session}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  const requested = durationSeconds(params);
  const creds = ctx.state.credentials.issue(ctx.state.options.sts?.lifetimeSeconds ?? requested);
  const role = roleArn.slice(roleArn.lastIndexOf("/") + 1) || roleArn;
  sendStsResult(ctx.res, action, ctx.requestId, {
    ...extra,
    AssumedRoleUser: {
      AssumedRoleId: `AROA${creds.accessKeyId.slice(4)}:${session}`,
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
    },
    Credentials: credentialsXml(creds),
  });
}

function credentialsXml(creds: TemporaryCredentials) {
  return {
    AccessKeyId: creds.accessKeyId,
    SecretAccessKey: creds.secretAccessKey,
    SessionToken: creds.sessionToken,
    Expiration: isoSeconds(creds.expiration),
  };
}

/** The `sub` claim of a JWT, when the token is one. */
function jwtSubject(token: string): string | undefined {
  const payload = token.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { sub?: unknown };
    return typeof claims.sub === "string" ? claims.sub : undefined;
  } catch {
    return undefined;
  }
}
