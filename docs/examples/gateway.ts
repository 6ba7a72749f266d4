import { createGateway, defineConfig } from "../../src/server/index.js";

/** One gateway per process, shared by whichever framework serves it. */
export const gateway = createGateway(
  defineConfig({
    storage: {
      endpoint: process.env.S3_ENDPOINT ?? "http://127.0.0.1:9000",
      region: process.env.S3_REGION ?? "us-east-1",
      bucket: process.env.S3_BUCKET ?? "uploads",
      credentials: {
        accessKeyId: process.env.S3_ACCESS_KEY_ID ?? "",
        secretAccessKey: process.env.S3_SECRET_ACCESS_KEY ?? "",
      },
      forcePathStyle: true,
    },
    ledger: process.env.UPGATE_LEDGER ?? "sqlite:./.upgate/ledger.db",
    auth: { jwt: { secret: process.env.JWT_SECRET ?? "" } },
    // The origins of the pages that call the API: without this, a page on another origin fails
    // with a bare network error (the client says CORS may be the cause).
    cors: { origins: (process.env.APP_ORIGINS ?? "http://localhost:5173").split(",") },
    routes: {
      images: { types: ["image/png", "image/jpeg", "image/webp"], maxSize: "10MB", maxFiles: 10 },
    },
  }),
);
