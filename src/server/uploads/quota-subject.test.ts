import { describe, expect, it } from "vitest";
import { ANONYMOUS } from "../principal.js";
import { addressBlock, quotaSubject } from "./quota-subject.js";

describe("quotaSubject", () => {
  it("is the user id for a signed-in user, whatever the address", () => {
    expect(quotaSubject({ userId: "alice", via: "jwt" }, "192.0.2.1")).toBe("alice");
    expect(quotaSubject({ userId: "anonymous@192.0.2.1", via: "custom" }, undefined)).toBe(
      "anonymous@192.0.2.1",
    );
  });

  it("is the address for an anonymous caller", () => {
    expect(quotaSubject(ANONYMOUS, "192.0.2.1")).toBe("anonymous@192.0.2.1");
    expect(quotaSubject(ANONYMOUS, "198.51.100.7")).not.toBe(quotaSubject(ANONYMOUS, "192.0.2.1"));
    expect(quotaSubject(ANONYMOUS, undefined)).toBe("anonymous@unknown");
  });
});

describe("addressBlock", () => {
  it("keeps IPv4 addresses and unwraps IPv4-mapped IPv6 ones", () => {
    expect(addressBlock("192.0.2.1")).toBe("192.0.2.1");
    expect(addressBlock("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(addressBlock("::FFFF:192.0.2.1")).toBe("192.0.2.1");
  });

  it("counts IPv6 by its /64, in one spelling however it was written", () => {
    const block = "2001:db8:0:1::/64";
    for (const address of [
      "2001:db8:0:1::1",
      "2001:db8:0:1:ffff:ffff:ffff:ffff",
      "2001:0DB8:0000:0001:0:0:0:9",
      "[2001:db8:0:1::2]",
      "2001:db8:0:1::3%eth0",
      "2001:db8:0:1::192.0.2.1",
    ]) {
      expect(addressBlock(address), address).toBe(block);
    }
    expect(addressBlock("2001:db8:0:2::1")).toBe("2001:db8:0:2::/64");
    expect(addressBlock("::1")).toBe("0:0:0:0::/64");
  });

  it("leaves what is not an address as it is (lower-cased)", () => {
    expect(addressBlock("Proxy.Local")).toBe("proxy.local");
    expect(addressBlock("1:2:3:4:5:6:7:8:9")).toBe("1:2:3:4:5:6:7:8:9");
    expect(addressBlock("::g")).toBe("::g");
  });
});
