import { UpgateError } from "../../core/errors.js";
import { checkFiles } from "../../core/policy/route.js";
import type { CreateUploadsResponse, FileDeclaration } from "../../core/protocol.js";
import type { ResolvedRoute } from "../config/resolved.js";
import type { Handler, Services } from "../context.js";
import { readJson } from "../http/json-body.js";
import { json } from "../http/respond.js";
import type { GatewayMetrics } from "../observe/metrics.js";
import { ANONYMOUS, type Principal } from "../principal.js";
import { storageFailure } from "../s3/api-failure.js";
import { withSecrets } from "./capability.js";
import { createRequestHash, parseIdempotencyKey } from "./create/idempotency-key.js";
import { abortStarted, startMultipartUploads } from "./create/multipart-start.js";
import { parseCreateRequest } from "./create-request.js";
import { authRequired, policyError, quotaError } from "./errors.js";
import { type PlannedUpload, planUploads } from "./plan.js";
import { quotaSubject } from "./quota-subject.js";
import { takeRateToken } from "./rate-limit.js";
import { replayUploads } from "./replay.js";
import { signatureCount, signUpload } from "./sign.js";

/**
 * POST /v1/uploads: the whole request is checked (auth, route, every file, hooks, rate) before
 * anything is reserved, and reserved (all files or none) before anything is signed. Failing after
 * the reservation releases it, so a refused request never holds quota or signs a URL.
 *
 * With an Idempotency-Key, a retry of a request the caller already made (same key, same route and
 * files) answers with the first request's uploads, re-signed, and reserves nothing (docs/api.md).
 * A retry is still a request: it runs onBeforeUpload and takes a rate token like the first one.
 *
 * Quota, rate limit and Idempotency-Keys belong to the caller's quota subject: the user, or for
 * anonymous callers their address. Anonymous uploads come with a capability and a download token.
 */
export const createUploads: Handler = async (s, req) => {
  const caller = await s.authenticate(req);
  if (!caller && !s.anyPublicRoute) throw authRequired();
  const idempotencyKey = parseIdempotencyKey(req.headers);
  const body = parseCreateRequest(await readJson(req, s.config.limits.maxBodyBytes));
  const route = s.config.routes.get(body.route);
  // Without credentials, an unknown route is AUTH_REQUIRED too: route names are not disclosed.
  if (!caller && !route?.policy.public) throw authRequired();
  if (!route) {
    throw new UpgateError("ROUTE_NOT_FOUND", `No upload route is named ${JSON.stringify(body.route)}`, {
      details: { route: body.route },
    });
  }
  const principal = caller ?? ANONYMOUS;
  req.log.userId = principal.userId;
  req.log.route = route.policy.name;

  const check = checkFiles(route.policy, body.files);
  if (check.problems.length > 0) throw policyError(check.problems);
  const idempotency =
    idempotencyKey === undefined
      ? undefined
      : {
          key: idempotencyKey,
          requestHash: createRequestHash(route.policy.name, check.files),
        };
  const subject = quotaSubject(principal, req.clientIp);
  await runBeforeUpload(route, principal, check.files, req);
  await takeRateToken(s.ledger, route, principal, req.clientIp);
  if (idempotency) {
    const existing = await s.ledger.findIdempotent(subject, idempotency.key);
    if (existing) {
      return replayed(s.metrics, await replayUploads(s, existing, idempotency.requestHash, new Date()));
    }
  }

  // One window for every URL of the request: the route's lifetime, or the credentials' if shorter.
  const window = await s.storage.urlWindow(route.policy.expiresIn).catch((err: unknown) => {
    throw storageFailure(err);
  });
  const planned = await planUploads(s.config.storage, route, principal, subject, check.files, req, window);
  await startMultipartUploads(s.storage, planned, s.log);
  const rows = planned.map((p) => p.row);
  if (idempotency) for (const row of rows) row.idempotency = idempotency;
  let reservation: Awaited<ReturnType<typeof s.ledger.reserve>>;
  try {
    reservation = await s.ledger.reserve(rows, {
      userId: principal.userId,
      subject,
      route: route.policy.name,
      limit: route.quota ?? {},
      ...(route.routeQuota && { routeLimit: route.routeQuota }),
      now: rows[0]!.createdAt,
    });
  } catch (err) {
    await abortStarted(s.storage, planned, s.log);
    throw err;
  }
  const requested = { bytes: rows.reduce((sum, r) => sum + r.declaredSize, 0), files: rows.length };
  if (!reservation.ok) {
    await abortStarted(s.storage, planned, s.log);
    throw quotaError(route, reservation, requested, s.config.sweep.graceMs);
  }
  if (reservation.existing) {
    // A concurrent request with the same key reserved first: its uploads are the answer.
    await abortStarted(s.storage, planned, s.log);
    return replayed(
      s.metrics,
      await replayUploads(s, reservation.existing, idempotency!.requestHash, new Date()),
    );
  }

  let response: CreateUploadsResponse;
  try {
    response = {
      uploads: await Promise.all(
        planned.map(async (p) => withSecrets(await signUpload(s.storage, p, window), p.secrets)),
      ),
    };
  } catch (err) {
    await releaseReservations(s, planned);
    throw err;
  }
  countSignatures(s.metrics, response);
  s.metrics.bytesReserved.inc(requested.bytes);
  if (response.uploads.length === 1) req.log.uploadId = response.uploads[0]!.id;
  return json(201, response);
};

function countSignatures(metrics: GatewayMetrics, response: CreateUploadsResponse): void {
  for (const instruction of response.uploads) {
    metrics.signatures.inc({ strategy: instruction.method.toLowerCase() }, signatureCount(instruction));
  }
}

/** A replay answers 201 like the first request did, so a client cannot tell a retry from the original. */
function replayed(metrics: GatewayMetrics, response: CreateUploadsResponse) {
  countSignatures(metrics, response);
  return json(201, response);
}

/**
 * Runs the route's onBeforeUpload for every file. A hook rejects by returning a string or throwing
 * (an UpgateError keeps its code; any other error's message becomes HOOK_REJECTED's). Every file's
 * verdict is collected, so one answer lists all rejections.
 */
async function runBeforeUpload(
  route: ResolvedRoute,
  principal: Principal,
  files: readonly FileDeclaration[],
  req: { readonly request: Request },
): Promise<void> {
  const hook = route.onBeforeUpload;
  if (!hook) return;
  const request = req.request;
  const verdicts = await Promise.all(
    files.map(async (file, index) => {
      try {
        const result = await hook({ principal, route: route.policy.name, file, index, request });
        return typeof result === "string" ? result || "rejected" : undefined;
      } catch (err) {
        if (err instanceof UpgateError) throw err;
        return err instanceof Error && err.message ? err.message : "rejected";
      }
    }),
  );
  const problems = verdicts.flatMap((message, index) =>
    message === undefined ? [] : [{ index, name: files[index]!.name, code: "HOOK_REJECTED", message }],
  );
  if (problems.length === 0) return;
  const message =
    problems.length === 1 ? problems[0]!.message : problems.map((p) => `${p.name}: ${p.message}`).join("; ");
  throw new UpgateError("HOOK_REJECTED", message, { details: { problems } });
}

/** Gives back the quota of reserved rows that will never be signed (they become "aborted"). */
async function releaseReservations(
  s: Pick<Services, "ledger" | "storage" | "log">,
  planned: readonly PlannedUpload[],
): Promise<void> {
  await Promise.all(
    planned.map(async (p) => {
      try {
        await s.ledger.transition(p.row.id, ["pending"], "aborted", {
          reason: "SIGNING_FAILED",
          forgetIdempotency: true,
        });
      } catch (err) {
        s.log.error("could not release a reservation; it expires with its URLs", err, { uploadId: p.row.id });
      }
    }),
  );
  await abortStarted(s.storage, planned, s.log);
}
