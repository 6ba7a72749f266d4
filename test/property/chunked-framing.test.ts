import { describe, expect, it } from "vitest";
import {
  AwsChunkedDecoder,
  ChunkedDecodeError,
  type ChunkedDecoderOptions,
} from "../../src/core/sigv4/chunked-decoder.js";
import { checksumOf, decode, encode } from "./chunked-fixture.js";

const enc = new TextEncoder();
const hello = enc.encode("hello");
const crc = checksumOf("x-amz-checksum-crc32", hello);
const unsigned: ChunkedDecoderOptions = { mode: "unsigned-trailer", trailer: "x-amz-checksum-crc32" };

async function run(options: ChunkedDecoderOptions, body: string): Promise<string> {
  try {
    const d = new AwsChunkedDecoder(options);
    await d.push(enc.encode(body));
    await d.end();
    return "ok";
  } catch (err) {
    if (err instanceof ChunkedDecodeError) return `${err.failure.code}: ${err.failure.message}`;
    throw err;
  }
}

describe("AwsChunkedDecoder framing (unsigned trailer)", () => {
  it("decodes S3's STREAMING-UNSIGNED-PAYLOAD-TRAILER layout", async () => {
    expect(await run(unsigned, `5\r\nhello\r\n0\r\nx-amz-checksum-crc32:${crc}\r\n\r\n`)).toBe("ok");
  });

  it.each([
    ["a size that is not hex", `zz\r\nhello\r\n0\r\nx-amz-checksum-crc32:${crc}\r\n\r\n`, "bad chunk size"],
    ["a bare LF", `5\nhello\r\n0\r\nx-amz-checksum-crc32:${crc}\r\n\r\n`, "line not ended by CRLF"],
    [
      "more data than the size",
      `4\r\nhello\r\n0\r\nx-amz-checksum-crc32:${crc}\r\n\r\n`,
      "chunk data longer",
    ],
    [
      "data after the end",
      `5\r\nhello\r\n0\r\nx-amz-checksum-crc32:${crc}\r\n\r\nextra`,
      "data after the final chunk",
    ],
    ["a line that never ends", `${"1".repeat(5000)}\r\n`, "line too long"],
    [
      "an unannounced trailer",
      `5\r\nhello\r\n0\r\nx-amz-checksum-crc32:${crc}\r\nx-amz-meta-a:b\r\n\r\n`,
      "not announced",
    ],
    ["the announced trailer missing", "5\r\nhello\r\n0\r\n\r\n", "missing trailer x-amz-checksum-crc32"],
    [
      "a trailer signature",
      `5\r\nhello\r\n0\r\nx-amz-checksum-crc32:${crc}\r\nx-amz-trailer-signature:00\r\n\r\n`,
      "unsigned",
    ],
    ["a trailer line without a colon", "5\r\nhello\r\n0\r\ngarbage\r\n\r\n", "bad trailer line"],
  ])("refuses %s with InvalidRequest", async (_, body, why) => {
    const got = await run(unsigned, body);
    expect(got).toMatch(/^InvalidRequest: The aws-chunked request body is malformed: /);
    expect(got).toContain(why);
  });

  it("refuses STREAMING-UNSIGNED-PAYLOAD-TRAILER without x-amz-trailer, or with an unknown one", () => {
    expect(() => new AwsChunkedDecoder({ mode: "unsigned-trailer" })).toThrow(ChunkedDecodeError);
    expect(() => new AwsChunkedDecoder({ ...unsigned, trailer: "x-amz-checksum-md5" })).toThrow(
      ChunkedDecodeError,
    );
  });
});

describe("AwsChunkedDecoder framing (signed)", () => {
  it("refuses a chunk without chunk-signature", async () => {
    const e = await encode({ mode: "signed", payload: hello, chunkSize: 8, trailer: "", cuts: [7] });
    const d = await decode(e, enc.encode("5\r\nhello\r\n0\r\n\r\n"));
    expect(d.ok || [d.error.code, d.error.message]).toEqual([
      "InvalidRequest",
      "The aws-chunked request body is malformed: chunk without chunk-signature",
    ]);
  });

  it("names the chunk string-to-sign in SignatureDoesNotMatch", async () => {
    const e = await encode({ mode: "signed", payload: hello, chunkSize: 8, trailer: "", cuts: [3] });
    const wire = Buffer.from(e.wire).toString("latin1").replace("hello", "jello");
    const d = await decode(e, Buffer.from(wire, "latin1"));
    if (d.ok) throw new Error("a changed chunk was accepted");
    expect(d.error.code).toBe("SignatureDoesNotMatch");
    const sts = d.error.details.find(([n]) => n === "StringToSign")?.[1] ?? "";
    expect(sts.split("\n").slice(0, 3)).toEqual([
      "AWS4-HMAC-SHA256-PAYLOAD",
      "20240506T070809Z",
      e.signing.scope,
    ]);
    expect(sts.split("\n")[3]).toBe(e.signing.seedSignature);
  });
});
