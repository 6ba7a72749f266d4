import { describe, expect, it } from "vitest";
import { headerValue, parseRawRequest } from "./raw-http.js";

describe("parseRawRequest (the suites' request files)", () => {
  it("keeps raw spaces and UTF-8 in the target, repeated headers as separate lines", () => {
    const req = parseRawRequest("GET /example space/ሴ?a=b HTTP/1.1\nHost:h\nX:1\nx:2\n");
    expect(req.method).toBe("GET");
    expect(req.target).toBe("/example space/ሴ?a=b");
    expect(req.headers).toEqual([
      ["Host", "h"],
      ["X", "1"],
      ["x", "2"],
    ]);
    expect(req.body).toBe("");
  });

  it("unfolds continuation lines into the value with a space", () => {
    const req = parseRawRequest("GET / HTTP/1.1\nMy-Header1:value1\n  value2\n\t value3\nNext: n");
    expect(req.headers).toEqual([
      ["My-Header1", "value1 value2 value3"],
      ["Next", " n"],
    ]);
  });

  it("takes everything after the blank line as the body, with or without a final newline", () => {
    expect(parseRawRequest("POST / HTTP/1.1\nHost:h\n\nParam1=value1").body).toBe("Param1=value1");
    expect(parseRawRequest("POST / HTTP/1.1\nHost:h\n\na\nb\n").body).toBe("a\nb\n");
    expect(parseRawRequest("POST / HTTP/1.1\r\nHost:h\r\n\r\nx").body).toBe("x");
  });

  it("finds headers case-insensitively", () => {
    expect(headerValue(parseRawRequest("GET / HTTP/1.1\nhOsT:h\n"), "Host")).toBe("h");
  });

  it("rejects what is not a request", () => {
    expect(() => parseRawRequest("GET /\nHost:h")).toThrow(/request line/);
    expect(() => parseRawRequest("GET / HTTP/1.1\n  folded-first")).toThrow(/continuation/);
    expect(() => parseRawRequest("GET / HTTP/1.1\nno-colon")).toThrow(/header line/);
  });
});
