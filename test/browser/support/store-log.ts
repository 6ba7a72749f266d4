/** Every request the embedded store receives, with how it ended: to count part PUTs and bytes sent. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ObjectStore } from "../../../src/store/index.js";

export interface StoreRequest {
  method: string;
  /** The object key's path (bucket included), without the query. */
  path: string;
  /** For UploadPart. */
  partNumber?: number;
  status?: number;
  /** The client went away before the response was finished. */
  aborted: boolean;
}

export interface StoreLog {
  readonly requests: StoreRequest[];
  /** Part PUTs (UploadPart) so far. */
  partPuts(): StoreRequest[];
  /** Requests that carry data into the store: PUTs and POSTs (preflights, GETs and HEADs do not). */
  writes(): StoreRequest[];
  /** The most part PUTs in flight at once since the last clear(). */
  readonly maxPartsInFlight: number;
  clear(): void;
}

export function logStore(store: ObjectStore): StoreLog {
  const requests: StoreRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  store.server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://store");
    const part = url.searchParams.get("partNumber");
    const entry: StoreRequest = { method: req.method ?? "", path: url.pathname, aborted: false };
    if (part !== null && req.method === "PUT") {
      entry.partNumber = Number(part);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
    }
    requests.push(entry);
    res.once("close", () => {
      if (entry.partNumber !== undefined) inFlight--;
      if (res.writableFinished) entry.status = res.statusCode;
      else entry.aborted = true;
    });
  });
  return {
    requests,
    partPuts: () => requests.filter((r) => r.partNumber !== undefined),
    writes: () => requests.filter((r) => r.method === "PUT" || r.method === "POST"),
    get maxPartsInFlight() {
      return maxInFlight;
    },
    clear() {
      requests.length = 0;
      maxInFlight = inFlight;
    },
  };
}
