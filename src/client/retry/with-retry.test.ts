import { describe, expect, it } from "vitest";
import { Control } from "../control.js";
import { UploadError } from "../errors.js";
import { withRetry } from "./with-retry.js";

const retryable = (status = 503) => new UploadError("STORAGE", "busy", { retryable: true, status });
const options = (control = new Control(), sleeps: number[] = []) => ({
  control,
  retry: { retries: 3, baseDelayMs: 100, maxDelayMs: 1000 },
  random: () => 0.5,
  sleep: async (ms: number) => {
    sleeps.push(ms);
  },
});

describe("withRetry", () => {
  it("retries retryable errors with the backoff schedule and returns the first success", async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const seen: Array<string | undefined> = [];
    const result = await withRetry(
      async ({ retry, lastError }) => {
        seen.push(`${retry}:${lastError?.message}`);
        if (++calls < 4) throw retryable();
        return "ok";
      },
      options(new Control(), sleeps),
    );
    expect(result).toBe("ok");
    expect(sleeps).toEqual([50, 100, 200]);
    expect(seen).toEqual(["0:undefined", "1:busy", "2:busy", "3:busy"]);
  });

  it("gives up after `retries` retries, reporting the attempts", async () => {
    let calls = 0;
    const err = await withRetry(async () => {
      calls++;
      throw retryable();
    }, options()).catch((e: unknown) => e);
    expect(calls).toBe(4);
    expect(err).toMatchObject({ code: "STORAGE", attempts: 4 });
  });

  it("never retries what is not retryable", async () => {
    let calls = 0;
    const err = await withRetry(async () => {
      calls++;
      throw new UploadError("CHECKSUM", "changed");
    }, options()).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(err).toMatchObject({ code: "CHECKSUM", attempts: 1 });
  });

  it("wraps foreign errors as retryable NETWORK errors", async () => {
    let calls = 0;
    await withRetry(async () => {
      if (calls++ === 0) throw new TypeError("fetch failed");
    }, options());
    expect(calls).toBe(2);
  });

  it("uses the server's Retry-After instead of the jitter", async () => {
    const sleeps: number[] = [];
    let calls = 0;
    await withRetry(
      async () => {
        if (calls++ === 0)
          throw new UploadError("GATEWAY", "slow down", { retryable: true, retryAfterMs: 4000 });
      },
      options(new Control(), sleeps),
    );
    expect(sleeps).toEqual([4000]);
  });

  it("redoes an attempt cut by a pause without counting it, after resume", async () => {
    const control = new Control();
    const sleeps: number[] = [];
    let calls = 0;
    const done = withRetry(
      async ({ retry }) => {
        calls++;
        if (calls === 1) {
          control.pause();
          throw new UploadError("ABORTED", "cut");
        }
        return retry;
      },
      options(control, sleeps),
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toBe(1);
    control.resume();
    expect(await done).toBe(0);
    expect(sleeps).toEqual([]);
  });

  it("throws ABORTED once the control is aborted, whatever the attempt threw", async () => {
    const control = new Control();
    const err = await withRetry(async () => {
      control.abort();
      throw retryable();
    }, options(control)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "ABORTED" });
  });
});
