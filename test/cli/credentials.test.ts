/**
 * The CLI without storage keys: `upgate serve`, `doctor`, `sweep` and `cors` take the AWS default chain
 * (here its first link, the environment, holding temporary credentials the store issued), report
 * where the credentials come from and how long they last, and say in one line which package to
 * install when the optional @aws-sdk/credential-providers is missing.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firstLine, projectRoot, runCli, spawnCli } from "../support/cli.js";
import { type DevRig, startDevRig } from "./support/dev.js";

const JWT_SECRET = "credentials-cli-jwt-secret-0123456789abcdef";
const HIDE_PACKAGE = {
  NODE_OPTIONS: `--import=${join(projectRoot, "test/support/hide-packages.mjs")}`,
  UPGATE_TEST_HIDE_PACKAGES: "@aws-sdk/credential-providers",
};

let rig: DevRig;
let config: string;
beforeAll(async () => {
  rig = await startDevRig();
  config = join(rig.dir, "upgate.config.ts");
  await writeFile(
    config,
    `export default {
  storage: { endpoint: ${JSON.stringify(rig.stack.storeUrl)}, bucket: ${JSON.stringify(rig.stack.bucket)}, forcePathStyle: true },
  ledger: ${JSON.stringify(`sqlite:${join(rig.dir, "credentials-ledger.db")}`)},
  auth: { jwt: { secret: process.env.APP_JWT_SECRET as string } },
  logger: { level: "silent" as const },
  routes: { images: { types: ["image/png"], maxSize: "1MB", expiresIn: "10m" } },
};
`,
  );
});
afterAll(async () => {
  await rig?.close();
});

/** The AWS SDK's environment link, holding temporary credentials that last `seconds`. */
function awsEnvironment(seconds: number): Record<string, string> {
  const creds = rig.stack.store.issueCredentials(seconds);
  return {
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_SESSION_TOKEN: creds.sessionToken,
    AWS_CREDENTIAL_EXPIRATION: creds.expiration.toISOString(),
    AWS_PROFILE: "",
    APP_JWT_SECRET: JWT_SECRET,
  };
}

interface Check {
  id: string;
  status: string;
  detail: string;
  fix?: string;
}
const checks = (stdout: string): Record<string, Check> =>
  Object.fromEntries((JSON.parse(stdout).checks as Check[]).map((c) => [c.id, c]));

describe("without storage keys: the AWS default chain", { timeout: 120_000 }, () => {
  it("doctor prints the credential source and time left, and warns of a route whose URLs outlive them", async () => {
    const r = await runCli(
      ["doctor", "--config", config, "--origin", rig.stack.gatewayUrl, "--ledger", rig.ledger, "--json"],
      awsEnvironment(240),
    );
    expect(r.code, r.stderr).toBe(0);
    const result = checks(r.stdout);
    const source = result["credential-source"]!;
    expect(source.status).toBe("warn");
    expect(source.detail).toMatch(
      /^AWS default chain: environment \(AWS_ACCESS_KEY_ID\): access key ASIA[A-Z2-7]{16}, expires in [34]m \d+s \(.+Z\), refreshed before then; URL lifetime of route images \(10m 0s\) exceeds it/,
    );
    expect(source.fix).toMatch(/longer session/);
    expect(result.credentials?.status).toBe("pass");
    expect(result.write?.status).toBe("pass");

    const table = await runCli(
      ["doctor", "--config", config, "--origin", rig.stack.gatewayUrl, "--ledger", rig.ledger],
      awsEnvironment(3600),
    );
    expect(table.stdout).toMatch(
      /^credential source\s+PASS\s+AWS default chain: environment .* expires in (59m|1h 0m)/m,
    );
  });

  it("sweep and cors take them too, as their help says", async () => {
    const sweep = await runCli(
      ["sweep", "--config", config, "--ledger", rig.ledger, "--dry-run", "--json"],
      awsEnvironment(600),
    );
    expect(sweep.code, sweep.stderr).toBe(0);
    expect(JSON.parse(sweep.stdout)).toMatchObject({ dryRun: true, complete: true });
    const cors = await runCli(
      ["cors", "show", "--config", config, "--origin", "https://app.example", "--json"],
      awsEnvironment(600),
    );
    expect(cors.code, cors.stderr).toBe(0);
    expect(JSON.parse(cors.stdout).bucket).toBe(rig.stack.bucket);
  });

  it("doctor fails the credential source, naming the package, when it is not installed", async () => {
    const r = await runCli(["doctor", "--config", config, "--json"], {
      ...awsEnvironment(600),
      ...HIDE_PACKAGE,
    });
    expect(r.code).toBe(1);
    const source = checks(r.stdout)["credential-source"]!;
    expect(source).toMatchObject({ status: "fail", fix: "npm install @aws-sdk/credential-providers" });
    expect(source.detail).toBe(
      'no credentials: storage.credentials "aws" needs the optional package @aws-sdk/credential-providers: npm install @aws-sdk/credential-providers',
    );
    expect(checks(r.stdout).credentials?.status).toBe("skip");
  });

  it("serve starts with them, says so, and signs URLs that end with them", async () => {
    const child = spawnCli(["serve", "--config", config, "--port", "0", "--json"], awsEnvironment(120));
    try {
      const info = JSON.parse(await firstLine(child, 60_000));
      expect(info.credentials).toBe("AWS default chain: environment (AWS_ACCESS_KEY_ID)");
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: "HS256" })
        .setSubject("ada")
        .setExpirationTime("5m")
        .sign(new TextEncoder().encode(JWT_SECRET));
      const created = await fetch(`${info.url}/v1/uploads`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ route: "images", files: [{ name: "a.png", type: "image/png", size: 100 }] }),
      });
      expect(created.status).toBe(201);
      const [upload] = ((await created.json()) as { uploads: Array<{ expiresAt: string }> }).uploads;
      expect(Date.parse(upload!.expiresAt) - Date.now()).toBeLessThanOrEqual(120_000);
    } finally {
      const closed = new Promise((done) => child.on("close", done));
      child.kill("SIGTERM");
      await closed;
    }
  });

  it("serve refuses to start without the package, in one line naming it", async () => {
    const r = await runCli(["serve", "--config", config, "--port", "0"], {
      ...awsEnvironment(600),
      ...HIDE_PACKAGE,
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'upgate serve: no storage credentials: storage.credentials "aws" needs the optional package @aws-sdk/credential-providers: npm install @aws-sdk/credential-providers',
    );
  });
});
