import { describe, expect, it } from "vitest";
import { UpgateError } from "../../core/errors.js";
import { readJsonBody } from "./json-body.js";

const post = (
  body: string | Uint8Array | null,
  headers: Record<string, string> = { "content-type": "application/json" },
) => new Request("http://gw.test/v1/uploads", { method: "POST", body, headers });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (err) {
    if (err instanceof UpgateError) return err.code;
    throw err;
  }
}

describe("readJsonBody", () => {
  it("parses JSON (including +json types) and reads an empty body as undefined", async () => {
    expect(await readJsonBody(post('{"a":1}'), 100)).toEqual({ a: 1 });
    expect(
      await readJsonBody(post("[1]", { "content-type": "application/vnd.api+json; charset=utf-8" }), 100),
    ).toEqual([1]);
    expect(await readJsonBody(post(null, {}), 100)).toBeUndefined();
  });

  it("refuses a body over the limit, declared or streamed, with PAYLOAD_TOO_LARGE", async () => {
    expect(await codeOf(readJsonBody(post(`"${"x".repeat(200)}"`), 100))).toBe("PAYLOAD_TOO_LARGE");
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode("[1,2,3,4,5,6,7,8,9]"));
        controller.close();
      },
    });
    const streamed = new Request("http://gw.test/", {
      method: "POST",
      body: stream,
      headers: { "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    expect(await codeOf(readJsonBody(streamed, 100))).toBe("PAYLOAD_TOO_LARGE");
  });

  it("refuses invalid JSON, invalid UTF-8 and non-JSON content types with VALIDATION_FAILED", async () => {
    expect(await codeOf(readJsonBody(post("{nope"), 100))).toBe("VALIDATION_FAILED");
    expect(await codeOf(readJsonBody(post(new Uint8Array([0x22, 0xff, 0x22])), 100))).toBe(
      "VALIDATION_FAILED",
    );
    expect(await codeOf(readJsonBody(post('{"a":1}', { "content-type": "text/plain" }), 100))).toBe(
      "VALIDATION_FAILED",
    );
    expect(await codeOf(readJsonBody(post('{"a":1}', {}), 100))).toBe("VALIDATION_FAILED");
  });
});
