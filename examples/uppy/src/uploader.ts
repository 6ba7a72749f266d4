import Uppy from "@uppy/core";
import Dashboard from "@uppy/dashboard";
import GoldenRetriever from "@uppy/golden-retriever";
import { createUploader, formatSize } from "../../../src/client/index.js";
import { Upgate } from "../../../src/uppy/index.js";
import { token } from "./session.js";

const GB = 1024 ** 3;

/** One upgate client for the page: one route list, one store of unfinished uploads. */
const uploader = createUploader({
  endpoint: location.origin,
  headers: async () => ({ authorization: `Bearer ${await token()}` }),
});

/** An Uppy Dashboard in `target` whose files go to the upgate route `route`. */
export function routeUploader(route: string, target: string): Uppy {
  const uppy = new Uppy({ id: route })
    .use(Dashboard, {
      target,
      inline: true,
      height: 380,
      width: "100%",
      proudlyDisplayPoweredByUppy: false,
    })
    // Keeps the files over a reload (in IndexedDB), so the upload can resume. Its store takes files
    // up to 10 MB unless told more (options it reads but does not type).
    .use(GoldenRetriever, { indexedDB: { maxFileSize: 2 * GB, maxTotalSize: 4 * GB } as object })
    .use(Upgate, { route, uploader });

  // The route's rules (GET /v1/routes) are Uppy's restrictions now; say them under the drop area.
  uppy.getPlugin("Upgate")!.ready.then((rules) => {
    if (!rules) return;
    const types = rules.types.map((t) => t.label).join(", ");
    uppy.getPlugin("Dashboard")?.setOptions({ note: `${types}; up to ${formatSize(rules.maxSize)}` });
  });
  return uppy;
}
