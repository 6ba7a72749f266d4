/**
 * bench:gateway (c), the transport floor: node:http alone, doing what any server must for this
 * request and nothing else. It reads the body, parses the JSON and answers 201 with a JSON body the
 * size of (a)'s answer. No auth, policy, ledger or signing: its CPU per request is what node:http
 * costs here, the part of (a)'s figure no gateway code can remove.
 * argv: <data dir> (unused: it stores nothing)
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** About (a)'s 201: one upload with a presigned URL (~1.1 KB with its query) and its signed headers. */
const ANSWER = JSON.stringify({
  uploads: [
    {
      id: "0".repeat(26),
      key: `images/user-0/${"0".repeat(32)}.png`,
      method: "PUT",
      url: `http://127.0.0.1:9000/bench-uploads/images/user-0/${"0".repeat(32)}.png?${"X".repeat(900)}`,
      headers: {
        "content-type": "image/png",
        "content-length": "122880",
        "if-none-match": "*",
        "x-amz-meta-upgate-user": "user-0",
      },
      expiresAt: new Date(0).toISOString(),
    },
  ],
});

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const request = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { files?: unknown[] };
    const ok = Array.isArray(request.files);
    res.writeHead(ok ? 201 : 400, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(ANSWER),
    });
    res.end(ANSWER);
  });
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ ready: true, url: `http://127.0.0.1:${port}` });
});

// Exit cleanly on SIGINT, so that --cpu-prof writes its profile.
process.once("SIGINT", () => process.exit(0));
