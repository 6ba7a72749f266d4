import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, runShell } from "../support/cli.js";
import { type DevRig, startDevRig } from "./support/dev.js";

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

interface Check {
  id: string;
  status: string;
  detail: string;
  fix?: string;
}
const checks = (stdout: string): Record<string, Check> =>
  Object.fromEntries((JSON.parse(stdout).checks as Check[]).map((c) => [c.id, c]));

/** A port nothing listens on (taken, then given back). */
function closedPort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

let rig: DevRig;
let doctorFlags: string[];
beforeAll(async () => {
  rig = await startDevRig();
  doctorFlags = ["doctor", ...rig.storageFlags, "--origin", rig.stack.gatewayUrl, "--ledger", rig.ledger];
});
afterAll(async () => {
  await rig?.close();
});

describe("upgate doctor", { timeout: 120_000 }, () => {
  it("passes against the dev stack, every check run", async () => {
    const r = await runCli([...doctorFlags, "--json"], rig.env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const result = checks(r.stdout);
    for (const id of [
      "endpoint",
      "credentials",
      "write",
      "write-once",
      "cors",
      "checksum",
      "acl",
      "clock",
      "ledger",
    ]) {
      expect(result[id]?.status, `${id}: ${result[id]?.detail}`).toBe("pass");
    }
    // The embedded store refuses every unsigned x-amz-* header, as AWS does.
    expect(result.acl?.detail).toMatch(/x-amz-acl: public-read was refused \(403 AccessDenied/);
    expect(result.post?.status).toBe("skip");
    // The embedded store keeps checksums, PUT and multipart: completion reads only the sniff.
    expect(result["checksum-kept"]).toMatchObject({ status: "pass" });
    expect(result["checksum-kept"]!.detail).toMatch(/sha256: kept for PUTs and multipart uploads/);
    expect(result["checksum-kept"]!.detail).toMatch(/reads only the first 4 KiB/);
    expect(JSON.parse(r.stdout).ok).toBe(true);
    // The probes cleaned up after themselves.
    const left = await rig.stack.gateway.storage.listObjects(".upgate-doctor/");
    expect(left.objects).toEqual([]);
  });

  it("prints a table a person can read", async () => {
    const r = await runCli(doctorFlags, rig.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^check\s+result\s+detail$/m);
    expect(r.stdout).toMatch(/^checksum enforcement\s+PASS\s+.*BadDigest/m);
    expect(r.stdout).toMatch(/all checks passed/);
  });

  it("fails against wrong credentials and names the fix", async () => {
    const wrongSecret = await runCli([...doctorFlags, "--json"], {
      ...rig.env,
      UPGATE_STORAGE_SECRET_KEY: "not-the-secret-0000",
    });
    expect(wrongSecret.code).toBe(1);
    expect(wrongSecret.stderr.trim()).toBe("upgate doctor: 1 check failed (credentials)");
    const bySecret = checks(wrongSecret.stdout).credentials!;
    expect(bySecret).toMatchObject({ status: "fail" });
    expect(bySecret.detail).toMatch(/SignatureDoesNotMatch/);
    expect(bySecret.fix).toMatch(/set UPGATE_STORAGE_SECRET_KEY/);
    const unknownKey = await runCli(doctorFlags, { ...rig.env, UPGATE_STORAGE_ACCESS_KEY: "nobody" });
    expect(unknownKey.code).toBe(1);
    expect(unknownKey.stdout).toMatch(/^credentials valid\s+FAIL\s+.*InvalidAccessKeyId/m);
    expect(unknownKey.stdout).toMatch(
      /FAIL credentials valid: fix: the storage does not know this access key: set UPGATE_STORAGE_ACCESS_KEY/,
    );
  });

  it("fails against a bucket without CORS, naming the command that fixes it; cors apply then makes it pass", async () => {
    await rig.stack.store.state.backend.setBucketCors(rig.stack.bucket, undefined);
    const broken = await runCli([...doctorFlags, "--json"], rig.env);
    expect(broken.code).toBe(1);
    const cors = checks(broken.stdout).cors!;
    expect(cors).toMatchObject({
      status: "fail",
      detail: "the bucket has no CORS rules: browsers cannot upload",
    });
    const command = `npm run upgate -- cors apply --endpoint ${rig.stack.storeUrl} --bucket ${rig.stack.bucket} --origin ${rig.stack.gatewayUrl}`;
    expect(cors.fix).toMatch(
      new RegExp(`^run ${escapeRegExp(command)} with credentials allowed s3:PutBucketCORS`),
    );
    // Pasted as printed, in this clone: npm run upgate -- ... (an installed project prints npx upgate).
    const applied = await runShell(command, rig.env);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/^\+ {3}AllowedHeader x-amz-checksum-sha256$/m);
    const fixed = await runCli([...doctorFlags, "--json"], rig.env);
    expect(fixed.code, fixed.stdout).toBe(0);
    expect(checks(fixed.stdout).cors?.status).toBe("pass");
  });

  it("names the missing header and ETag when a rule is too narrow", async () => {
    await rig.stack.store.state.backend.setBucketCors(rig.stack.bucket, [
      {
        allowedOrigins: [rig.stack.gatewayUrl],
        allowedMethods: ["PUT", "GET", "HEAD"],
        allowedHeaders: ["content-type", "if-none-match", "x-amz-meta-*"],
        exposeHeaders: [],
      },
    ]);
    const r = await runCli([...doctorFlags, "--json"], rig.env);
    expect(r.code).toBe(1);
    expect(checks(r.stdout).cors?.detail).toBe(
      `PUT from ${rig.stack.gatewayUrl} may not send x-amz-checksum-sha256`,
    );
    await rig.stack.store.state.backend.setBucketCors(rig.stack.bucket, [
      {
        allowedOrigins: ["*"],
        allowedMethods: ["PUT", "GET", "HEAD"],
        allowedHeaders: ["*"],
        exposeHeaders: [],
      },
    ]);
    const noEtag = await runCli([...doctorFlags, "--json"], rig.env);
    expect(checks(noEtag.stdout).cors?.detail).toBe(`PUT from ${rig.stack.gatewayUrl} does not expose ETag`);
    await runCli(["cors", "apply", ...rig.storageFlags, "--origin", rig.stack.gatewayUrl], rig.env);
  });

  it("reads storage, origins and ledger from a config file, and refuses one holding a literal secret", async () => {
    const config = {
      storage: {
        endpoint: rig.stack.storeUrl,
        bucket: rig.stack.bucket,
        forcePathStyle: true,
        acl: "private",
      },
      ledger: rig.ledger,
      cors: { origins: [rig.stack.gatewayUrl] },
      routes: { images: { types: ["image/png"], maxSize: "1MB", strategy: "post" } },
    };
    const file = join(rig.dir, "doctor.config.json");
    await writeFile(file, JSON.stringify(config));
    // storage.acl is signed into upload URLs: cors apply lets browsers send it.
    const applied = await runCli(["cors", "apply", "--config", file], rig.env);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/^\+ {3}AllowedHeader x-amz-acl$/m);
    const r = await runCli(["doctor", "--config", file, "--json"], rig.env);
    expect(r.code, r.stdout).toBe(0);
    // A "post" route makes the POST probe run.
    expect(checks(r.stdout).post).toMatchObject({ status: "pass" });
    // storage.acl: the probes sign x-amz-acl, and another ACL breaks the signature.
    expect(checks(r.stdout).acl).toMatchObject({ status: "pass" });
    expect(checks(r.stdout).acl!.detail).toMatch(/refused \(403 SignatureDoesNotMatch/);
    const literal = join(rig.dir, "literal.config.json");
    await writeFile(
      literal,
      JSON.stringify({
        ...config,
        storage: {
          ...config.storage,
          credentials: { accessKeyId: "upgatedev", secretAccessKey: "in-the-file" },
        },
      }),
    );
    const refused = await runCli(["doctor", "--config", literal], rig.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(
      `upgate doctor: ${literal} holds a secret as a literal (storage.credentials.secretAccessKey): secrets come only from the environment; remove it and set the UPGATE_* variable (see npm run upgate -- doctor --help)`,
    );
  });

  it("fails fast when the endpoint does not answer", async () => {
    const port = await closedPort();
    const r = await runCli(
      ["doctor", "--endpoint", `http://127.0.0.1:${port}`, "--bucket", "b", "--json"],
      rig.env,
    );
    expect(r.code).toBe(1);
    const result = checks(r.stdout);
    expect(result.endpoint?.detail).toMatch(/ECONNREFUSED/);
    expect(result.credentials?.status).toBe("skip");
    expect(result.ledger?.status).toBe("skip");
  });
});
