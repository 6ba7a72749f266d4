import { describe, expect, it } from "vitest";
import type { ResolvedCors } from "../config/resolved.js";
import { isPreflight, preflightResponse, withCors } from "./cors.js";

const cors: ResolvedCors = { origins: new Set(["https://app.test"]), credentials: true, maxAgeSeconds: 600 };
const preflight = (origin: string) =>
  new Request("http://gw.test/v1/uploads", {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type",
    },
  });

describe("CORS", () => {
  it("recognises preflights only with an origin and a requested method", () => {
    expect(isPreflight(preflight("https://app.test"))).toBe(true);
    expect(isPreflight(new Request("http://gw.test/", { method: "OPTIONS" }))).toBe(false);
  });

  it("allows a configured origin, with credentials, the API's methods and headers", () => {
    const res = preflightResponse(cors, preflight("https://app.test"));
    expect(res.status).toBe(204);
    expect(Object.fromEntries(res.headers)).toMatchObject({
      "access-control-allow-origin": "https://app.test",
      "access-control-allow-credentials": "true",
      "access-control-allow-methods": "GET, POST, DELETE",
      "access-control-allow-headers":
        "authorization, content-type, x-api-key, idempotency-key, upgate-capability",
      "access-control-max-age": "600",
      vary: "Origin",
    });
  });

  it("grants nothing to other origins, or when CORS is not configured", () => {
    for (const res of [
      preflightResponse(cors, preflight("https://evil.test")),
      preflightResponse(undefined, preflight("https://app.test")),
    ]) {
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    }
    const actual = withCors(
      cors,
      new Request("http://gw.test/", { headers: { origin: "https://evil.test" } }),
      new Response("x"),
    );
    expect(actual.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("marks actual responses for allowed origins, exposing Retry-After", () => {
    const res = withCors(
      cors,
      new Request("http://gw.test/", { headers: { origin: "https://app.test" } }),
      new Response("x"),
    );
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.test");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("access-control-expose-headers")).toBe("retry-after");
    expect(res.headers.get("vary")).toBe("Origin");
  });

  it('answers "*" without credentials, and reflects the origin when "*" must carry credentials', () => {
    const any: ResolvedCors = { origins: "*", credentials: false, maxAgeSeconds: 60 };
    expect(
      preflightResponse(any, preflight("https://x.test")).headers.get("access-control-allow-origin"),
    ).toBe("*");
  });
});
