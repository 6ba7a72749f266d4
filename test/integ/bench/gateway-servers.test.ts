/**
 * bench:gateway's three servers build, start and answer the bench's request as the bench requires
 * (201 with a PUT URL), so a broken server fails here rather than in the middle of a benchmark.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { JWT_SECRET } from "../../../bench/gateway-config.js";
import { checkServes } from "../../../bench/gateway-load.js";
import { bundleServer, startServer } from "../../../bench/gateway-process.js";

describe("bench:gateway servers", { timeout: 120_000 }, () => {
  it.each(["ours", "baseline", "floor"] as const)(
    "(%s) answers the bench's request with a PUT URL",
    async (target) => {
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: "HS256" })
        .setSubject("user-0")
        .setExpirationTime("5m")
        .sign(new TextEncoder().encode(JWT_SECRET));
      const dataDir = await mkdtemp(join(tmpdir(), `upgate-bench-servers-${target}-`));
      const server = await startServer(await bundleServer(target), dataDir);
      try {
        await checkServes(server.url, token);
        expect(await server.cpuSeconds()).toBeGreaterThan(0);
      } finally {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  );
});
