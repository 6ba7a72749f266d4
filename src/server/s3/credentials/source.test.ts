import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { AWS_CHAIN_PACKAGE, loadAwsChain } from "./aws-chain.js";
import { CredentialsError } from "./errors.js";
import { createCredentialSource } from "./source.js";
import type { RefreshEvent, StorageCredentials } from "./types.js";

const MIN = 60_000;

/** A provider handing out numbered credentials that expire `lifeMs` after the fake clock's now. */
function fakeProvider(clock: { now: number }, lifeMs: number) {
  const calls: Array<{ forceRefresh?: boolean } | undefined> = [];
  let failNext = 0;
  const provider = async (options?: { forceRefresh?: boolean }): Promise<StorageCredentials> => {
    calls.push(options);
    await new Promise((r) => setTimeout(r, 5));
    if (failNext > 0) {
      failNext -= 1;
      throw new Error("the credentials endpoint is down");
    }
    const n = calls.length;
    return {
      accessKeyId: `ASIAKEY${n}`,
      secretAccessKey: `secret-${n}`,
      sessionToken: `token-${n}`,
      expiration: new Date(clock.now + lifeMs),
    };
  };
  return {
    provider,
    calls,
    failNext(times = 1) {
      failNext = times;
    },
  };
}

function setup(lifeMs: number, marginMs = 6 * MIN) {
  const clock = { now: Date.parse("2030-01-01T00:00:00Z") };
  const fake = fakeProvider(clock, lifeMs);
  const events: RefreshEvent[] = [];
  const source = createCredentialSource(fake.provider, {
    refreshMarginMs: marginMs,
    now: () => clock.now,
    onRefresh: (e) => events.push(e),
  });
  return { clock, fake, events, source };
}

describe("createCredentialSource: keys", () => {
  it("uses keys as given, dropping the AWS SDK's extra fields, and never refreshes them", async () => {
    const sdkShaped = {
      accessKeyId: "AKIDEXAMPLE",
      secretAccessKey: "secret",
      $source: { CREDENTIALS_CODE: "e" },
      accountId: "123456789012",
      credentialScope: "us-east-1",
    };
    const source = createCredentialSource(sdkShaped);
    const creds = await source.get();
    expect(creds).toEqual({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", generation: 0 });
    expect(source.refreshable).toBe(false);
    expect(source.status()).toEqual({
      kind: "static",
      source: "keys in the config",
      accessKeyId: "AKIDEXAMPLE",
    });
  });
});

describe("createCredentialSource: a provider behind a refreshing cache", () => {
  it("fetches once for many concurrent callers, asking the provider to bypass its own cache", async () => {
    const { fake, source, events } = setup(60 * MIN);
    const all = await Promise.all(Array.from({ length: 20 }, () => source.get()));
    expect(fake.calls).toEqual([{ forceRefresh: true }]);
    expect(new Set(all.map((c) => c.accessKeyId))).toEqual(new Set(["ASIAKEY1"]));
    expect(events).toMatchObject([{ outcome: "ok", reason: "first" }]);
  });

  it("refreshes once the credentials are within the margin of their expiry, not before", async () => {
    const { clock, fake, source } = setup(60 * MIN, 6 * MIN);
    await source.get();
    clock.now += 54 * MIN - 1;
    expect((await source.get()).accessKeyId).toBe("ASIAKEY1");
    clock.now += 2;
    const [a, b] = await Promise.all([source.get(), source.get()]);
    expect([a.accessKeyId, b.accessKeyId]).toEqual(["ASIAKEY2", "ASIAKEY2"]);
    expect(a.generation).toBe(2);
    expect(fake.calls).toHaveLength(2);
  });

  it("refreshes credentials shorter-lived than the margin at half their life, not on every call", async () => {
    const { clock, fake, source } = setup(10_000, 6 * MIN);
    await source.get();
    clock.now += 4_999;
    await source.get();
    expect(fake.calls).toHaveLength(1);
    clock.now += 2;
    expect((await source.get()).accessKeyId).toBe("ASIAKEY2");
  });

  it("keeps the last good credentials when a refresh fails, reports it, and tries again a little later", async () => {
    const { clock, fake, source, events } = setup(10 * MIN, 6 * MIN);
    await source.get();
    clock.now += 5 * MIN;
    fake.failNext(1);
    expect((await source.get()).accessKeyId).toBe("ASIAKEY1");
    expect(events.at(-1)).toMatchObject({ outcome: "failed", reason: "expiring", kept: true });
    expect(source.status().lastError).toBe("the credentials endpoint is down");
    // Within the retry delay the held credentials are used without asking again.
    clock.now += 1000;
    await source.get();
    expect(fake.calls).toHaveLength(2);
    clock.now += 5000;
    expect((await source.get()).accessKeyId).toBe("ASIAKEY3");
    expect(source.status().lastError).toBeUndefined();
  });

  it("fails with a CredentialsError once nothing usable is held", async () => {
    const { clock, fake, source, events } = setup(10_000);
    await source.get();
    clock.now += 9_500;
    fake.failNext(5);
    await expect(source.get()).rejects.toThrow(CredentialsError);
    await expect(source.get()).rejects.toThrow(
      "the credentials provider failed: the credentials endpoint is down",
    );
    expect(events.at(-1)).toMatchObject({ outcome: "failed", kept: false });
    // A burst of requests within a second shares the failure instead of asking again each.
    expect(fake.calls).toHaveLength(2);
    clock.now += 1000;
    await expect(source.get()).rejects.toThrow(CredentialsError);
    expect(fake.calls).toHaveLength(3);
  });

  it("renews once after storage refused a set, however many requests were refused with it", async () => {
    const { fake, source, clock } = setup(60 * MIN);
    const used = await source.get();
    clock.now += 2000;
    const renewed = await Promise.all([source.renew(used), source.renew(used), source.renew(used)]);
    expect(renewed.map((c) => c.generation)).toEqual([2, 2, 2]);
    expect(fake.calls).toHaveLength(2);
    // A request refused with the old set after the renewal gets the new one, without another fetch.
    expect((await source.renew(used)).generation).toBe(2);
    expect(fake.calls).toHaveLength(2);
  });

  it("renews at once when the set just fetched is refused, but not again within a second", async () => {
    const { fake, source, clock } = setup(60 * MIN);
    const used = await source.get();
    const renewed = await source.renew(used);
    expect(renewed.generation).toBe(2);
    clock.now += 500;
    expect((await source.renew(renewed)).generation).toBe(2);
    clock.now += 600;
    expect((await source.renew(renewed)).generation).toBe(3);
    expect(fake.calls).toHaveLength(3);
  });

  it("refuses what is not credentials, naming the field and never its value", async () => {
    const source = createCredentialSource(
      async () => ({ accessKeyId: "AKID", secretAccessKey: "" }) as never,
    );
    await expect(source.get()).rejects.toThrow(
      "the credentials provider returned credentials without secretAccessKey (a non-empty string)",
    );
    const expired = createCredentialSource(async () => ({
      accessKeyId: "AKID",
      secretAccessKey: "very-secret",
      expiration: new Date(Date.now() - 1000),
    }));
    const err = await expired.get().catch((e: Error) => e);
    expect(String(err)).toContain("already past");
    expect(String(err)).not.toContain("very-secret");
  });

  it("knows the secrets of the sets held lately, for the log scrubber", async () => {
    const { clock, source } = setup(10_000);
    await source.get();
    const first = source.secrets();
    expect(first).toEqual(["secret-1", "token-1"]);
    clock.now += 6_000;
    await source.get();
    expect(source.secrets()).toEqual(["secret-2", "token-2", "secret-1", "token-1"]);
    expect(source.secrets()).toBe(source.secrets());
  });
});

describe('"aws": the AWS SDK default chain', () => {
  it("loads it on first use only, and names its source from the SDK's $source marks", async () => {
    let loads = 0;
    const source = createCredentialSource("aws", {
      loadAwsChain: async () => {
        loads += 1;
        return async () =>
          ({
            accessKeyId: "ASIAFROMECS",
            secretAccessKey: "s",
            sessionToken: "t",
            expiration: new Date(Date.now() + 3600_000),
            $source: { CREDENTIALS_HTTP: "z" },
          }) as StorageCredentials;
      },
    });
    expect(loads).toBe(0);
    await source.get();
    await source.get();
    expect(loads).toBe(1);
    expect(source.status().source).toBe(
      "AWS default chain: container credentials endpoint (ECS, EKS Pod Identity)",
    );
  });

  it("says in one line which package to install when it is missing", async () => {
    // Node's own error for an import of the package from a folder where it is not installed.
    const script = `import(${JSON.stringify(AWS_CHAIN_PACKAGE)}).catch((e) => console.log(JSON.stringify({ code: e.code, message: e.message })))`;
    const real = JSON.parse(
      execFileSync(process.execPath, ["--input-type=module", "-e", script], {
        cwd: tmpdir(),
        encoding: "utf8",
      }),
    ) as { code: string; message: string };
    expect(real.code).toBe("ERR_MODULE_NOT_FOUND");
    const missing = Object.assign(new Error(real.message), { code: real.code });
    await expect(loadAwsChain(() => Promise.reject(missing))).rejects.toThrow(
      new CredentialsError(
        'storage.credentials "aws" needs the optional package @aws-sdk/credential-providers: npm install @aws-sdk/credential-providers',
      ),
    );
    const source = createCredentialSource("aws", {
      loadAwsChain: () => loadAwsChain(() => Promise.reject(missing)),
    });
    await expect(source.get()).rejects.toThrow("npm install @aws-sdk/credential-providers");
  });

  it("takes the real package's fromNodeProviderChain, whose providers fit the config's type", async () => {
    const { fromNodeProviderChain } = await import("@aws-sdk/credential-providers");
    const setting: import("./types.js").CredentialsSetting = fromNodeProviderChain();
    expect(typeof setting).toBe("function");
    expect(typeof (await loadAwsChain())).toBe("function");
  });
});
