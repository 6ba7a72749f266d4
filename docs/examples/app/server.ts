import express from "express";
import { createGateway, defineConfig } from "../../../src/server/index.js";
import { toNodeHandler } from "../../../src/server/node.js";

const env = process.env;
const gateway = createGateway(
  defineConfig({
    storage: {
      endpoint: env.S3_ENDPOINT ?? "https://s3.us-east-1.amazonaws.com",
      region: env.S3_REGION ?? "us-east-1",
      bucket: env.S3_BUCKET ?? "uploads",
      credentials: {
        accessKeyId: env.S3_ACCESS_KEY_ID ?? "",
        secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? "",
      },
      forcePathStyle: env.S3_ENDPOINT !== undefined, // path-style for MinIO, Ceph, the embedded store
    },
    ledger: env.UPGATE_LEDGER ?? "sqlite:./.upgate/ledger.db", // npm install better-sqlite3@12
    auth: { jwt: { secret: env.JWT_SECRET ?? "" } }, // your app's HS256 session tokens; sub = user id
    cors: { origins: (env.APP_ORIGINS ?? "http://localhost:5173").split(",") }, // your pages' origins
    routes: { images: { types: ["image/png", "image/jpeg", "image/webp"], maxSize: "10MB" } },
  }),
);

const app = express();
app.all(["/v1/*path", "/healthz"], toNodeHandler(gateway));
export const server = app.listen(Number(env.PORT ?? 3000));
