/**
 * Child process for fs-kill.test.ts: writes, overwrites, deletes and completes multipart uploads on a
 * few keys forever, printing a line before each operation and one after it is acknowledged, until killed.
 */
import { createHash } from "node:crypto";
import { createFsBackend } from "../../src/store/backend/fs/backend.js";
import { attributesFor, BUCKET, patternBytes } from "./support.js";

const [dataDir, seedArg] = process.argv.slice(2);
const seed = Number(seedArg);
let state = seed || 1;
const random = (n: number) => {
  state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
  return state % n;
};
const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

const backend = createFsBackend({ dataDir: dataDir! });
await backend.init();
await backend.createBucket(BUCKET);
print({ ready: true });

for (let op = 0; ; op++) {
  const key = `key-${random(5)}`;
  const kind = ["put", "put", "delete", "multipart", "create"][random(5)]!;
  const body = patternBytes(random(600_000), seed * 1000 + op);
  const digest = kind === "delete" ? null : sha(body);
  print({ begin: kind, key, sha: digest });
  let result: string = "ok";
  if (kind === "delete") {
    await backend.deleteObject(BUCKET, key);
  } else if (kind === "multipart") {
    const upload = await backend.createMultipartUpload(
      BUCKET,
      key,
      attributesFor(body, { metadata: { sha: digest! } }),
    );
    const cut = random(body.length + 1);
    const parts = [];
    for (const [i, bytes] of [body.subarray(0, cut), body.subarray(cut)].entries()) {
      const part = await backend.stagePart(upload, i + 1);
      await part.write(bytes);
      parts.push(await part.commit({ etag: `"part-${i}"`, checksums: {} }));
    }
    const plan = parts.map(({ partNumber, etag }) => ({ partNumber, etag }));
    const meta = await backend.completeMultipartUpload(upload, plan, `"mp-${op}-2"`);
    if (typeof meta === "string") throw new Error(meta);
  } else {
    const staged = (await backend.stageObject(BUCKET, key))!;
    for (let offset = 0; offset < body.length; offset += 65_536)
      await staged.write(body.subarray(offset, offset + 65_536));
    const conditions = kind === "create" ? { ifNoneMatch: "*" as const } : undefined;
    const meta = await staged.commit(attributesFor(body, { metadata: { sha: digest! } }), conditions);
    if (typeof meta === "string") result = meta;
  }
  print({ ack: kind, key, sha: digest, result });
}
