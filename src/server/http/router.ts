/** Method + path-pattern routing: "/v1/uploads/:id/complete". */

export type RouteResult<H> =
  | { kind: "found"; handler: H; params: Record<string, string>; pattern: string }
  | { kind: "method-not-allowed"; allow: string[]; pattern: string }
  | { kind: "not-found" };

export interface RouteDefinition<H> {
  method: string;
  pattern: string;
  handler: H;
}

const MAX_PARAM_LENGTH = 256;

interface CompiledRoute<H> extends RouteDefinition<H> {
  segments: string[];
}

function matchSegments(
  segments: readonly string[],
  parts: readonly string[],
): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const part = parts[i]!;
    if (segment.startsWith(":")) {
      if (part === "" || part.length > MAX_PARAM_LENGTH) return undefined;
      try {
        params[segment.slice(1)] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    } else if (segment !== part) {
      return undefined;
    }
  }
  return params;
}

export function createRouter<H>(routes: ReadonlyArray<RouteDefinition<H>>) {
  const compiled: CompiledRoute<H>[] = routes.map((r) => ({ ...r, segments: r.pattern.split("/") }));
  return {
    match(method: string, path: string): RouteResult<H> {
      const parts = path.split("/");
      let allow: string[] = [];
      let pattern = "";
      for (const route of compiled) {
        const params = matchSegments(route.segments, parts);
        if (!params) continue;
        if (route.method === method)
          return { kind: "found", handler: route.handler, params, pattern: route.pattern };
        // The first pattern that matched names the endpoint, even when the method is wrong.
        if (pattern === "" || pattern === route.pattern) {
          pattern = route.pattern;
          allow = [...allow, route.method];
        }
      }
      return pattern ? { kind: "method-not-allowed", allow, pattern } : { kind: "not-found" };
    },
  };
}
