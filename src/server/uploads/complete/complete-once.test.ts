import { afterEach, describe, expect, test, vi } from "vitest";
import { UpgateError } from "../../../core/errors.js";
import type { Services } from "../../context.js";
import type { Ledger, UploadRow } from "../../ledger/types.js";
import { ANONYMOUS } from "../../principal.js";
import { StorageError } from "../../s3/types.js";
import { completeOnce } from "./complete-once.js";

const ROW = {
  id: "up_1",
  route: "videos",
  key: "videos/u/x.bin",
  status: "uploaded",
  strategy: "multipart",
  multipartUploadId: "mpu-1",
  declaredSize: 10,
  partSize: 10,
  partCount: 1,
} as UploadRow;

function services(ledger: Partial<Ledger>, storage: Record<string, unknown> = {}): Services {
  return { ledger, storage, config: { routes: new Map() } } as unknown as Services;
}

const input = {
  parts: undefined,
  checksums: undefined,
  by: { completedBy: "client" as const, principal: ANONYMOUS, request: new Request("http://x") },
};

describe("completeOnce", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test("waits for another instance's live lease at most 2 minutes, then answers 409 with Retry-After", async () => {
    vi.useFakeTimers();
    const ledger = {
      get: vi.fn(async () => ROW),
      claimVerification: vi.fn(async () => undefined),
    };
    const done = completeOnce(services(ledger), ROW.id, input).catch((err: unknown) => err);
    await vi.advanceTimersByTimeAsync(119_000);
    expect(ledger.claimVerification.mock.calls.length).toBeGreaterThan(200);
    await vi.advanceTimersByTimeAsync(2_000);
    const err = await done;
    expect(err).toBeInstanceOf(UpgateError);
    expect(err).toMatchObject({
      code: "UPLOAD_STATE_CONFLICT",
      details: { status: "uploaded", retryAfterSeconds: 5 },
    });
  });

  test("a storage failure while holding the lease ends it, so a retry need not wait for it", async () => {
    const ledger = {
      get: vi.fn(async () => ROW),
      claimVerification: vi.fn(async (_id: string, _leaseId: string, _until: Date, _now: Date) => ROW),
      renewVerification: vi.fn(async () => true),
      releaseVerification: vi.fn(async () => {}),
      transition: vi.fn(async () => undefined),
    };
    const storage = {
      listParts: vi.fn(async () => {
        throw new StorageError("ServiceUnavailable", 503, "down");
      }),
    };
    await expect(completeOnce(services(ledger, storage), ROW.id, input)).rejects.toMatchObject({
      code: "STORAGE_UNAVAILABLE",
    });
    const leaseId = ledger.claimVerification.mock.calls[0]![1];
    expect(ledger.releaseVerification).toHaveBeenCalledWith(ROW.id, leaseId);
    // The row stays "uploaded" for the retry.
    expect(ledger.transition).not.toHaveBeenCalled();
  });
});
