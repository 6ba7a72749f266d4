import type { ResolvedRoute } from "./resolved.js";

/**
 * The fixed folder each route's keys start with: the template's text before its first variable
 * other than {route}, cut back to the last "/" ("{route}/{userId}/{random}{ext}" -> "images").
 * Routes whose keys come from a function, or whose template starts with a variable, have none:
 * the sweeper never touches what it cannot attribute to the gateway.
 */
export function routeKeyPrefix(route: ResolvedRoute): string | undefined {
  if (!("template" in route.key)) return undefined;
  const withRoute = route.key.template.replaceAll("{route}", route.policy.name);
  const fixed = withRoute.slice(0, withRoute.indexOf("{") === -1 ? withRoute.length : withRoute.indexOf("{"));
  const folder = fixed.slice(0, fixed.lastIndexOf("/") + 1).replace(/\/+$/, "");
  return folder === "" ? undefined : folder;
}

export function keyPrefixes(routes: Iterable<ResolvedRoute>): string[] {
  const prefixes = new Set<string>();
  for (const route of routes) {
    const prefix = routeKeyPrefix(route);
    if (prefix !== undefined) prefixes.add(prefix);
  }
  return [...prefixes];
}
