import type { DoctorContext } from "../../../src/cli/doctor/types.js";
import { resolveConfig } from "../../../src/server/config/resolve.js";
import { createStorageClient } from "../../../src/server/s3/s3-client.js";
import { createS3Transport } from "../../../src/server/s3/transport.js";
import type { StorageConfig } from "../../../src/server/s3/types.js";

export const PROBE_ORIGIN = "https://app.upgate.example";

/**
 * The context doctor's checks run in, for a bucket given directly: one route per strategy (so the
 * POST check runs), one browser origin (so the CORS checks run), no ledger.
 */
export function probeContext(storage: StorageConfig): DoctorContext {
  const resolved = resolveConfig({
    storage,
    ledger: "sqlite::memory:",
    auth: { jwt: { secret: "compat-probe-jwt-secret-0123456789abcdef" } },
    routes: {
      files: { types: ["text/plain"], maxSize: "1MB" },
      forms: { types: ["text/plain"], maxSize: "1MB", strategy: "post" },
      videos: {
        types: ["application/octet-stream"],
        maxSize: "100MB",
        strategy: "multipart",
        partSize: "5MB",
      },
    },
  });
  return {
    setup: {
      file: undefined,
      storage: { ...storage, forcePathStyle: storage.forcePathStyle ?? false, supportsPost: true },
      routes: resolved.routes,
      origins: [PROBE_ORIGIN],
      ledger: undefined,
      maxAgeSeconds: 600,
    },
    storage: createStorageClient(storage, { timeoutMs: 15_000 }),
    transport: createS3Transport(storage, { timeoutMs: 15_000 }),
    corsFix: "upgate cors apply",
  };
}
