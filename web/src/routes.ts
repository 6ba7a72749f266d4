import { checkFile } from "../../src/core/policy/file-check.js";
import { describeTypes } from "../../src/core/policy/mime.js";
import type { RoutePolicy } from "../../src/core/policy/route.js";
import { declaredType } from "../../src/core/policy/type-for-name.js";
import type { RouteInfo } from "../../src/core/protocol.js";
import { formatSize } from "../../src/core/util/sizes.js";
import { el } from "./dom.js";

export type { RouteInfo };

/** Where the chosen route is remembered, so a reload keeps it. */
const CHOSEN_KEY = "upgate-demo-route";

/** In words: "PNG, JPEG, WebP, GIF, up to 10 MB". */
export function routeRules(route: RouteInfo): string {
  return `${describeTypes(route.types.map((t) => t.type))}, up to ${formatSize(route.maxSize)}`;
}

/** The file picker's accept list: the types and their extensions (a .docx may have no type). */
export function acceptList(route: RouteInfo): string | undefined {
  if (route.types.some((t) => t.type === "*/*")) return undefined;
  return [...new Set(route.types.flatMap((t) => [t.type, ...t.extensions]))].join(",");
}

/** The route as core's checkFile reads it (key template and sniffing play no part in the check). */
function policyOf(route: RouteInfo): RoutePolicy {
  return {
    name: route.name,
    label: route.label,
    types: route.types.map((t) => t.type),
    maxSize: route.maxSize,
    minSize: route.minSize,
    maxFiles: route.maxFiles,
    expiresIn: route.urlLifetime,
    checksum: route.checksum.mode,
    checksumAlgorithm: route.checksum.algorithm,
    strategy: route.strategy,
    multipartThreshold: route.multipartThreshold,
    partSize: route.partSize,
    sniff: true,
    public: route.public,
    keyTemplate: "",
  };
}

/**
 * The gateway's own check of a file against a route (core's checkFile), run before any byte is
 * read: a refused file is not hashed first. The gateway checks again; this only saves time.
 */
export function precheck(route: RouteInfo, file: File): string | undefined {
  // The type the client will declare: a .docx the browser gave no type is checked as Word.
  const declared = { name: file.name, type: declaredType(file.name, file.type), size: file.size };
  const { problems } = checkFile(policyOf(route), declared, 0);
  return problems.length > 0 ? problems.map((p) => p.message).join("; ") : undefined;
}

function remembered(): string | null {
  try {
    return localStorage.getItem(CHOSEN_KEY);
  } catch {
    return null;
  }
}

/** Radio buttons for the routes (the one chosen before a reload checked); returns the chosen one's getter. */
export function renderRoutes(
  fieldset: HTMLFieldSetElement,
  routes: RouteInfo[],
  onChange: (route: RouteInfo) => void,
): () => RouteInfo {
  for (const old of fieldset.querySelectorAll("label.route")) old.remove();
  let chosen = routes.find((r) => r.name === remembered()) ?? routes[0]!;
  for (const route of routes) {
    const input = el("input", { type: "radio", name: "route", value: route.name });
    input.checked = route === chosen;
    input.addEventListener("change", () => {
      chosen = route;
      try {
        localStorage.setItem(CHOSEN_KEY, route.name);
      } catch {
        // Private mode: the choice lasts until the reload.
      }
      onChange(route);
    });
    const text = el("span", {}, route.label, el("small", {}, routeRules(route)));
    fieldset.append(el("label", { class: "route" }, input, text));
  }
  onChange(chosen);
  return () => chosen;
}
