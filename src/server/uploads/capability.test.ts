import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../core/sigv4/crypto.js";
import { matchesHash, newAnonymousSecrets } from "./capability.js";

describe("anonymous secrets", () => {
  it("are two distinct random secrets of at least 128 bits, with their SHA-256 hashes", async () => {
    const a = await newAnonymousSecrets();
    const b = await newAnonymousSecrets();
    expect(a.capability).toMatch(/^upc_[a-z2-7]{32}$/);
    expect(a.downloadToken).toMatch(/^upd_[a-z2-7]{32}$/);
    expect(a.capability).not.toBe(b.capability);
    expect(a.capabilityHash).toBe(await sha256Hex(a.capability));
    expect(a.downloadTokenHash).toBe(await sha256Hex(a.downloadToken));
  });

  it("a candidate matches only its own hash; nothing matches a missing hash or a missing candidate", async () => {
    const { capability, capabilityHash, downloadToken } = await newAnonymousSecrets();
    expect(await matchesHash(capability, capabilityHash)).toBe(true);
    expect(await matchesHash(downloadToken, capabilityHash)).toBe(false);
    expect(await matchesHash(capabilityHash, capabilityHash)).toBe(false);
    expect(await matchesHash(null, capabilityHash)).toBe(false);
    expect(await matchesHash("", await sha256Hex(""))).toBe(false);
    expect(await matchesHash(capability, null)).toBe(false);
  });
});
