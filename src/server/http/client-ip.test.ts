import { describe, expect, it } from "vitest";
import { clientIp } from "./client-ip.js";

const request = new Request("http://gw.test/", { headers: { "x-forwarded-for": "203.0.113.7, 10.0.0.1" } });

describe("clientIp", () => {
  it("ignores X-Forwarded-For unless the proxy is trusted", () => {
    expect(clientIp(request, "10.0.0.1", false)).toBe("10.0.0.1");
    expect(clientIp(request, "10.0.0.1", true)).toBe("203.0.113.7");
    expect(clientIp(new Request("http://gw.test/"), "10.0.0.2", true)).toBe("10.0.0.2");
    expect(clientIp(new Request("http://gw.test/"), undefined, false)).toBeUndefined();
  });
});
