import { fetchTransport } from "./fetch.js";
import type { Transport } from "./types.js";
import { xhrTransport } from "./xhr.js";
import { xhrConstructor } from "./xhr-types.js";

/** XMLHttpRequest where it exists (browsers: upload progress), else fetch (Node, workers). */
export function defaultTransport(fetchImpl?: typeof fetch): Transport {
  const Xhr = xhrConstructor();
  if (Xhr) return xhrTransport(Xhr);
  return fetchTransport(fetchImpl ? { fetch: fetchImpl } : {});
}
