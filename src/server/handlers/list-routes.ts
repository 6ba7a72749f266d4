import { routeInfo } from "../../core/policy/route-info.js";
import type { ListRoutesResponse } from "../../core/protocol.js";
import { json } from "../http/respond.js";
import type { Handler } from "../runtime/services.js";
import { authRequired } from "../upload/principal.js";

/**
 * GET /v1/routes: the routes the caller may upload to, with the rules a UI shows before a file is
 * picked. The same auth as creating an upload: any caller with valid credentials may use every
 * route; a caller without them only the public ones (so with public routes the list never needs
 * credentials). Credentials that are sent but invalid are refused as they are on create.
 */
export const listRoutes: Handler = async (s, req) => {
  const caller = await s.authenticate(req);
  if (!caller && !s.anyPublicRoute) throw authRequired();
  if (caller) req.log.userId = caller.userId;
  const routes = [...s.config.routes.values()]
    .filter((route) => caller !== null || route.policy.public)
    .map((route) => routeInfo(route.policy));
  const response: ListRoutesResponse = { routes };
  return json(200, response);
};
