import type { UpgateConfig } from "../../src/server/config/types.js";
import { createGateway, type Gateway } from "../../src/server/gateway.js";
import type { StorageConfig } from "../../src/server/s3/types.js";
import { type ApiInit, gatewayApi, JWT_SECRET } from "../integ/gateway/support.js";

export interface RgwGateway {
  gateway: Gateway;
  api(path: string, init?: ApiInit): Promise<Response>;
  close(): Promise<void>;
}

/** The gateway, unchanged, in front of a bucket on RGW (the embedded-store Harness's API, without the store). */
export function startRgwGateway(
  storage: StorageConfig,
  overrides: Partial<Omit<UpgateConfig, "storage">> = {},
): RgwGateway {
  const gateway = createGateway({
    ledger: "sqlite::memory:",
    auth: { jwt: { secret: JWT_SECRET } },
    logger: { level: "silent" },
    routes: { images: { types: ["image/png"], maxSize: "1MB" } },
    ...overrides,
    storage,
  });
  return { gateway, api: gatewayApi(gateway), close: () => gateway.close() };
}
