import { describe, expect, it, vi } from "vitest";
import { lazyLedger } from "./lazy.js";
import type { Ledger } from "./types.js";

function fakeLedger(migrate: () => Promise<void> = async () => {}) {
  return {
    migrate: vi.fn(migrate),
    ping: vi.fn(async () => {}),
    close: vi.fn(async () => {}),
    get: vi.fn(async () => undefined),
  } as unknown as Ledger & Record<"migrate" | "ping" | "close" | "get", ReturnType<typeof vi.fn>>;
}

describe("lazyLedger", () => {
  it("opens and migrates once, on first use, however many calls race", async () => {
    const real = fakeLedger();
    const open = vi.fn(async () => real);
    const ledger = lazyLedger(open, true);
    expect(open).not.toHaveBeenCalled();
    await Promise.all([ledger.ping(), ledger.get("a"), ledger.get("b")]);
    expect(open).toHaveBeenCalledTimes(1);
    expect(real.migrate).toHaveBeenCalledTimes(1);
    expect(real.get).toHaveBeenCalledTimes(2);
  });

  it("retries a failed open on the next call, closing what it opened", async () => {
    let attempt = 0;
    const broken = fakeLedger(async () => {
      throw new Error("migration failed");
    });
    const good = fakeLedger();
    const ledger = lazyLedger(async () => (attempt++ === 0 ? broken : good), true);
    await expect(ledger.ping()).rejects.toThrow("migration failed");
    expect(broken.close).toHaveBeenCalledTimes(1);
    await ledger.ping();
    expect(good.ping).toHaveBeenCalledTimes(1);
  });

  it("closes only a ledger it owns, and refuses use after close", async () => {
    const owned = fakeLedger();
    const a = lazyLedger(async () => owned, true);
    await a.ping();
    await a.close();
    expect(owned.close).toHaveBeenCalledTimes(1);
    await expect(a.ping()).rejects.toThrow(/closed/);

    const given = fakeLedger();
    const b = lazyLedger(async () => given, false);
    await b.ping();
    await b.close();
    expect(given.close).not.toHaveBeenCalled();

    const neverOpened = vi.fn(async () => fakeLedger());
    await lazyLedger(neverOpened, true).close();
    expect(neverOpened).not.toHaveBeenCalled();
  });
});
