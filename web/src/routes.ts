import { checkFile } from "../../src/core/policy/file-check.js";
import type { RoutePolicy } from "../../src/core/policy/route.js";
import { declaredType } from "../../src/core/policy/type-for-name.js";
import { el } from "./dom.js";

/** A route as the dev server describes it (GET /demo-config.json). */
export interface RouteInfo {
  policy: RoutePolicy;
  /** "PNG, JPEG, WebP, GIF" */
  accepts: string;
  /** "10 MB" */
  limit: string;
}

export async function loadRoutes(): Promise<RouteInfo[]> {
  const response = await fetch("/demo-config.json");
  if (!response.ok) throw new Error(`the dev server did not describe its routes (HTTP ${response.status})`);
  const body = (await response.json()) as { routes: RouteInfo[] };
  return body.routes;
}

/** In words: "PNG, JPEG, WebP, GIF, up to 10 MB". */
export function routeRules(route: RouteInfo): string {
  return `${route.accepts}, up to ${route.limit}`;
}

/**
 * The gateway's own check of a file against a route (core's checkFile), run before any byte is
 * read: a refused file is not hashed first. The gateway checks again; this only saves time.
 */
export function precheck(route: RouteInfo, file: File): string | undefined {
  // The type the client will declare: a .docx the browser gave no type is checked as Word.
  const declared = { name: file.name, type: declaredType(file.name, file.type), size: file.size };
  const { problems } = checkFile(route.policy, declared, 0);
  return problems.length > 0 ? problems.map((p) => p.message).join("; ") : undefined;
}

/** Radio buttons for the routes; returns the chosen one's getter. */
export function renderRoutes(
  fieldset: HTMLFieldSetElement,
  routes: RouteInfo[],
  onChange: (route: RouteInfo) => void,
): () => RouteInfo {
  let chosen = routes[0]!;
  routes.forEach((route, i) => {
    const input = el("input", { type: "radio", name: "route", value: route.policy.name });
    input.checked = i === 0;
    input.addEventListener("change", () => {
      chosen = route;
      onChange(route);
    });
    const text = el("span", {}, route.policy.label, el("small", {}, routeRules(route)));
    fieldset.append(el("label", { class: "route" }, input, text));
  });
  onChange(chosen);
  return () => chosen;
}
