/** Serves the built demo page's files (GET and HEAD) from one folder, nothing outside it. */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, resolve, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** The file for a URL path inside `root` ("/" is index.html), or undefined for anything else. */
function fileFor(root: string, pathname: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (path.includes("\0")) return undefined;
  const file = resolve(join(root, path.endsWith("/") ? `${path}index.html` : path));
  return file.startsWith(root + sep) ? file : undefined;
}

/**
 * A handler for the page's files. `headers` go on every file (the page's CSP). Without a built
 * page (no index.html) "/" explains how to build it.
 */
export function staticFiles(dir: string, headers: Record<string, string> = {}) {
  const root = resolve(dir);
  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      plain(res, 405, "Method not allowed\n");
      return;
    }
    const file = fileFor(root, pathname);
    const info = file === undefined ? undefined : await stat(file).catch(() => undefined);
    if (!file || !info?.isFile()) {
      const missingPage = pathname === "/" || pathname === "/index.html";
      plain(
        res,
        404,
        missingPage
          ? `No demo page in ${root}: in a clone of upgate, build it with npm run build:web\n`
          : "Not found\n",
      );
      return;
    }
    res.writeHead(200, {
      ...headers,
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": info.size,
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
    });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    createReadStream(file)
      .on("error", () => res.destroy())
      .pipe(res);
  };
}
