import { UpgateError } from "../../core/errors.js";
import { devUserProblem, issueDevToken } from "../auth/dev-token.js";
import type { Handler } from "../context.js";
import { readJsonBody } from "../http/json-body.js";
import { json } from "../http/respond.js";

/**
 * POST /v1/dev/session {user}: a dev token for a demo user, 201 {token, user, expiresAt}. Routed
 * only in dev mode; answers NOT_FOUND anywhere else, like any path that does not exist.
 */
export const devSession: Handler = async (s, req) => {
  const dev = s.config.mode === "dev" ? s.config.auth.dev : undefined;
  if (!dev) throw new UpgateError("NOT_FOUND", "No such endpoint");
  const body = await readJsonBody(req.request, s.config.limits.maxBodyBytes);
  const raw = typeof body === "object" && body !== null ? (body as { user?: unknown }).user : undefined;
  const user = typeof raw === "string" ? raw.trim() : undefined;
  const problem = devUserProblem(user);
  if (user === undefined || problem) {
    throw new UpgateError("VALIDATION_FAILED", problem ?? "user is required", { details: { field: "user" } });
  }
  const { token, expiresAt } = await issueDevToken(dev, user);
  req.log.userId = user;
  return json(201, { token, user, expiresAt: expiresAt.toISOString() });
};
