/**
 * An HTTP proxy in front of an S3 endpoint that counts, at the wire, the response bytes of the
 * requests the gateway signs itself (header auth: HEAD, GET, ListParts...), apart from the
 * uploaders' presigned ones. Optionally it plays a backend that keeps no object checksums: it drops
 * every x-amz-checksum-* header and <Checksum*> element from answers about objects (HEAD, GET,
 * GetObjectAttributes), as Ceph RGW 16 answers; multipart calls (ListParts, Complete) pass unchanged, so
 * the store behind still assembles COMPOSITE uploads. The Host header is passed on unchanged, so
 * signatures made for the proxy's address verify at the store.
 */
import { createServer, type IncomingMessage, request } from "node:http";

export interface StorageReads {
  /** Response body bytes of the gateway's own (header-signed) requests. */
  bytes: number;
  /** Of those, bytes of object reads (GET of a key, not a listing or ListParts). */
  objectBytes: number;
  /** The gateway's requests by "METHOD kind" ("GET object", "HEAD object", "GET ListParts"...). */
  requests: Record<string, number>;
}

export interface CountingProxy {
  url: string;
  reads: StorageReads;
  reset(): void;
  close(): Promise<void>;
}

const gatewaySigned = (req: IncomingMessage) => typeof req.headers.authorization === "string";

function kind(req: IncomingMessage): string {
  const query = new URL(req.url ?? "/", "http://x").searchParams;
  if (query.has("uploadId")) return "ListParts/Complete";
  if (query.has("uploads") || query.has("list-type")) return "listing";
  if (query.has("attributes")) return "attributes";
  return "object";
}

const CHECKSUM_ELEMENT = /<Checksum(CRC32|CRC32C|CRC64NVME|SHA1|SHA256|Type)>[^<]*<\/Checksum\1>/g;

export async function startCountingProxy(
  target: string,
  options: { stripChecksums?: boolean } = {},
): Promise<CountingProxy> {
  const upstream = new URL(target);
  const reads: StorageReads = { bytes: 0, objectBytes: 0, requests: {} };
  const server = createServer((req, res) => {
    const counted = gatewaySigned(req);
    const what = `${req.method} ${kind(req)}`;
    if (counted) reads.requests[what] = (reads.requests[what] ?? 0) + 1;
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        // A fresh connection per request: a pooled one the store closed while idle would reset.
        agent: false,
      },
      (answer) => {
        const headers = { ...answer.headers };
        const xml = String(headers["content-type"] ?? "").includes("xml");
        const strip =
          options.stripChecksums === true && (kind(req) === "object" || kind(req) === "attributes");
        if (strip) {
          for (const name of Object.keys(headers)) {
            if (name.startsWith("x-amz-checksum-")) delete headers[name];
          }
          if (xml) delete headers["content-length"];
        }
        res.writeHead(answer.statusCode ?? 502, headers);
        const rewrite = strip && xml;
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => {
          if (counted) {
            reads.bytes += chunk.length;
            if (req.method === "GET" && kind(req) === "object") reads.objectBytes += chunk.length;
          }
          if (rewrite) chunks.push(chunk);
          else res.write(chunk);
        });
        answer.on("end", () => {
          if (rewrite) res.write(Buffer.concat(chunks).toString("utf8").replace(CHECKSUM_ELEMENT, ""));
          res.end();
        });
        answer.on("error", () => res.destroy());
      },
    );
    out.on("error", () => res.destroy());
    req.pipe(out);
  });
  // The gateway's fetch keeps connections for minutes between slow steps (hashing big parts).
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    reads,
    reset() {
      reads.bytes = 0;
      reads.objectBytes = 0;
      reads.requests = {};
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
