/**
 * bench:store's floor: the least a node:http server can do to store and serve objects. PUT streams
 * the body into a file (fsynced at the end when durability is fsync), GET streams the file back.
 * No authentication, no hashing, no metadata, no atomic rename.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { readyLine, serverArgs } from "./store-config.js";

const { dataDir, durability } = serverArgs();
const fileOf = (url: string) => join(dataDir, encodeURIComponent(url.split("?")[0]!));

async function put(req: IncomingMessage, res: ServerResponse): Promise<void> {
  // flush: fsync before the file is closed, so the 200 means the bytes are on disk.
  await pipeline(req, createWriteStream(fileOf(req.url!), { flush: durability === "fsync" }));
  res.writeHead(200).end();
}

async function get(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = fileOf(req.url!);
  const size = await stat(path).then(
    (s) => s.size,
    () => undefined,
  );
  if (size === undefined) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { "content-length": size });
  await pipeline(createReadStream(path), res);
}

const server = createServer((req, res) => {
  const handler = req.method === "PUT" ? put : req.method === "GET" ? get : undefined;
  if (!handler) {
    res.writeHead(405).end();
    return;
  }
  handler(req, res).catch(() => {
    if (!res.headersSent) res.writeHead(500).end();
    else res.destroy();
  });
});
server.listen(0, "127.0.0.1", () => {
  readyLine(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
