/**
 * Gateways for in-process tests that never reach storage: an unreachable endpoint, an in-memory
 * ledger, a silent logger. `useLocalGateways()` registers an afterEach that closes every gateway
 * the test made.
 */
import { SignJWT } from "jose";
import { afterEach } from "vitest";
import type { UpgateConfig } from "../../src/server/config/types.js";
import { createGateway, type Gateway } from "../../src/server/gateway.js";

export const LOCAL_STORAGE: UpgateConfig["storage"] = {
  endpoint: "http://127.0.0.1:1",
  region: "us-east-1",
  bucket: "uploads",
  credentials: { accessKeyId: "key", secretAccessKey: "secret-key-0123" },
  forcePathStyle: true,
};

export type LocalConfig = Partial<UpgateConfig> & Pick<UpgateConfig, "routes">;

export function useLocalGateways(): (config: LocalConfig) => Gateway {
  const open: Gateway[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((g) => g.close()));
  });
  return (config) => {
    const g = createGateway({
      storage: LOCAL_STORAGE,
      ledger: "sqlite::memory:",
      logger: { level: "silent" },
      ...config,
    });
    open.push(g);
    return g;
  };
}

/** An HS256 bearer token for `subject`, valid five minutes. */
export function hs256Token(secret: string, subject: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(subject)
    .setExpirationTime("5m")
    .sign(new TextEncoder().encode(secret));
}
