/**
 * bench:gateway (b), the baseline: the classic Express example of presigned uploads. express.json(),
 * a content-type check, a random key and @aws-sdk/s3-request-presigner's getSignedUrl for a
 * PutObjectCommand. No auth, no size limit that storage enforces, no quota, no ledger.
 * argv: <data dir> (unused: it stores nothing)
 */
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import express from "express";
import { ALLOWED_TYPES, STORAGE } from "./gateway-config.js";

const s3 = new S3Client({ ...STORAGE, forcePathStyle: true });
const app = express();
app.use(express.json());

app.post("/v1/uploads", async (req, res) => {
  const file = req.body?.files?.[0];
  if (!file || !ALLOWED_TYPES.includes(file.type)) {
    res.status(400).json({ error: "file type not allowed" });
    return;
  }
  const key = `uploads/${randomUUID()}`;
  const url = await getSignedUrl(
    s3,
    new PutObjectCommand({ Bucket: STORAGE.bucket, Key: key, ContentType: file.type }),
    {
      expiresIn: 300,
    },
  );
  res.status(201).json({ uploads: [{ key, method: "PUT", url, headers: { "content-type": file.type } }] });
});

const server = app.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ ready: true, url: `http://127.0.0.1:${port}` });
});

// Exit cleanly on SIGINT, so that --cpu-prof writes its profile.
process.once("SIGINT", () => process.exit(0));
