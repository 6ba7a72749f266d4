import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { checkUnsignedAcl } from "../../src/cli/doctor/acl-check.js";
import { createStorageClient } from "../../src/server/storage/s3-client.js";
import { createS3Transport } from "../../src/server/storage/transport.js";
import { JWT_SECRET } from "../integ/gateway/support.js";
import { runCli } from "../support/cli.js";
import type { KeyedStorageConfig } from "../support/keyed-storage.js";
import { probeContext } from "./compat/context.js";
import { DOCTOR_CHECK } from "./compat/matrix.js";
import { type Measured, measure } from "./compat/probes.js";
import { createRgwBucket, describeRgw } from "./env.js";

const ORIGIN = "https://app.upgate.example";

interface Check {
  id: string;
  status: string;
  detail: string;
  fix?: string;
}

describeRgw("upgate doctor against Ceph RGW", (rgw) => {
  let storage: KeyedStorageConfig;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let config: string;
  let checks: Record<string, Check>;
  let ok: boolean;
  let code: number | null;
  let table: string;

  beforeAll(async () => {
    storage = await createRgwBucket(rgw, "doctor");
    dir = await mkdtemp(join(tmpdir(), "upgate-rgw-doctor-"));
    config = join(dir, "upgate.config.json");
    // A route of every strategy, so every storage check runs (POST only runs for "post" routes).
    await writeFile(
      config,
      JSON.stringify({
        storage: {
          endpoint: storage.endpoint,
          region: storage.region,
          bucket: storage.bucket,
          forcePathStyle: true,
        },
        ledger: `sqlite:${join(dir, "ledger.db")}`,
        cors: { origins: [ORIGIN] },
        routes: {
          images: { types: ["image/png"], maxSize: "1MB" },
          forms: { types: ["image/png"], maxSize: "1MB", strategy: "post" },
          videos: { types: ["application/octet-stream"], maxSize: "100MB", strategy: "multipart" },
        },
      }),
    );
    env = {
      UPGATE_STORAGE_ACCESS_KEY: storage.credentials.accessKeyId,
      UPGATE_STORAGE_SECRET_KEY: storage.credentials.secretAccessKey,
      UPGATE_JWT_SECRET: JWT_SECRET,
    };
    const cors = await runCli(["cors", "apply", "--config", config], env);
    expect(cors.code, cors.stderr).toBe(0);
    const json = await runCli(["doctor", "--config", config, "--json"], env);
    code = json.code;
    const parsed = JSON.parse(json.stdout) as { ok: boolean; checks: Check[] };
    ok = parsed.ok;
    checks = Object.fromEntries(parsed.checks.map((c) => [c.id, c]));
    table = (await runCli(["doctor", "--config", config], env)).stdout;
  }, 120_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("passes what RGW does like S3: reachability, credentials, writes, write-once PUT, CORS, preflight, POST, clock", () => {
    for (const id of [
      "endpoint",
      "credentials",
      "write",
      "write-once",
      "cors",
      "preflight",
      "post",
      "clock",
    ]) {
      expect(checks[id]?.status, `${id}: ${checks[id]?.detail}`).toBe("pass");
    }
    // The ledger has not been created by a gateway yet: doctor says so and never creates it.
    expect(checks.ledger?.status).toBe("fail");
    expect(code).toBe(1);
    expect(ok).toBe(false);
  });

  it("warns that RGW stores a body whose x-amz-checksum-sha256 does not match, and names the fix", () => {
    expect(checks.checksum).toMatchObject({ status: "warn" });
    expect(checks.checksum!.detail).toMatch(/does not verify checksums/);
    expect(checks.checksum!.fix).toMatch(/verification at completion/);
  });

  it("warns that RGW does not verify multipart part checksums either", () => {
    expect(checks["part-checksum"]).toMatchObject({ status: "warn" });
    expect(checks["part-checksum"]!.detail).toMatch(/does not verify part checksums/);
  });

  it("warns that RGW keeps no checksum, so completion streams every object", () => {
    expect(checks["checksum-kept"]).toMatchObject({ status: "warn" });
    expect(checks["checksum-kept"]!.detail).toMatch(/HEAD returns no sha256: completion streams and hashes/);
  });

  it("warns that RGW ignores if-none-match on CompleteMultipartUpload", () => {
    expect(checks["multipart-once"]).toMatchObject({ status: "warn" });
    expect(checks["multipart-once"]!.detail).toMatch(/replaced an existing object/);
  });

  it("warns that RGW applies an unsigned x-amz-acl (the object becomes public), naming storage.acl", () => {
    expect(checks.acl).toMatchObject({ status: "warn" });
    expect(checks.acl!.detail).toMatch(
      /public-read was stored, and the object is readable without credentials/,
    );
    expect(checks.acl!.fix).toMatch(/set storage\.acl: "private"/);
  });

  it("passes the ACL probe once storage.acl is set: RGW refuses the other ACL as a signature mismatch", async () => {
    const withAcl = { ...storage, acl: "private" as const, forcePathStyle: true, supportsPost: true };
    const check = await checkUnsignedAcl({
      setup: {
        file: undefined,
        storage: withAcl,
        routes: new Map(),
        origins: undefined,
        ledger: undefined,
        maxAgeSeconds: 600,
      },
      storage: createStorageClient(withAcl),
      transport: createS3Transport(withAcl),
      corsFix: "",
    });
    expect(check).toMatchObject({ status: "pass" });
    expect(check.detail).toMatch(/refused \(403 SignatureDoesNotMatch/);
  });

  it("prints the warnings with their fixes in the table", () => {
    expect(table).toMatch(/^checksum enforcement\s+WARN\s+/m);
    expect(table).toMatch(/^WARN checksum enforcement: fix: /m);
    expect(table).toMatch(/^WARN multipart write-once: fix: /m);
  });

  it("agrees with the compatibility probes on every capability doctor checks", async () => {
    const measured: Measured[] = await measure(probeContext(storage));
    for (const [probe, check] of Object.entries(DOCTOR_CHECK)) {
      const m = measured.find((x) => x.id === probe)!;
      // "partial" works (RGW's reordered CORS rules still allow everything): doctor passes it.
      const expected = m.support === "no" ? expect.stringMatching(/^(warn|fail)$/) : "pass";
      expect(checks[check]?.status, `${probe} measured ${m.support} (${m.detail}); doctor ${check}`).toEqual(
        expected,
      );
    }
  }, 120_000);

  it("leaves no probe object behind", async () => {
    const listed = await createStorageClient(storage).listObjects(".upgate-doctor/");
    expect(listed.objects).toEqual([]);
  });
});
