import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { type FileSink, type FormField, parsePostForm } from "./post-form.js";

const BOUNDARY = "b0undary";
const CONTENT_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

function part(name: string, value: string, filename?: string): string {
  const file = filename === undefined ? "" : `; filename="${filename}"`;
  return `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${file}\r\n\r\n${value}\r\n`;
}
const end = `--${BOUNDARY}--\r\n`;

/** Runs the parser over `text` (split into small chunks), collecting what onFile saw and what the sink got. */
async function parse(text: string | Buffer, refuse?: "onFile" | "write") {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
  const seen: { fields?: FormField[]; fileName?: string | undefined; data: Buffer[] } = { data: [] };
  const result = await parsePostForm(Readable.from(chunks), CONTENT_TYPE, async (fields, fileName) => {
    seen.fields = fields;
    seen.fileName = fileName;
    if (refuse === "onFile") throw new Error("refused at start");
    const sink: FileSink<string> = {
      async write(chunk) {
        if (refuse === "write") throw new Error("refused mid-file");
        seen.data.push(chunk);
      },
      async end() {
        return Buffer.concat(seen.data).toString();
      },
    };
    return sink;
  }).then(
    (value) => ({ ok: true as const, value }),
    (error: Error & { code?: string }) => ({ ok: false as const, code: error.code ?? error.message }),
  );
  return { result, seen };
}

describe("parsePostForm", () => {
  it("gives the fields before the file in order, streams the file, and ignores what follows it", async () => {
    const { result, seen } = await parse(
      part("key", "a/prefix-") +
        part("Policy", "cG9saWN5") +
        part("x-amz-meta-note", "from a blob", "note.txt") +
        part("FILE", "file bytes\r\nwith a line break", "photo.png") +
        part("x-amz-meta-late", "ignored") +
        part("other", "ignored too", "late.bin") +
        end,
    );
    expect(result).toEqual({ ok: true, value: "file bytes\r\nwith a line break" });
    expect(seen.fields).toEqual([
      ["key", "a/prefix-"],
      ["Policy", "cG9saWN5"],
      ["x-amz-meta-note", "from a blob"],
    ]);
    expect(seen.fileName).toBe("photo.png");
  });

  it("takes a plain `file` field as the file", async () => {
    const { result, seen } = await parse(part("key", "k") + part("file", "plain text") + end);
    expect(result).toEqual({ ok: true, value: "plain text" });
    expect(seen.fileName).toBeUndefined();
  });

  it("refuses a second file, no file, oversized fields and broken bodies", async () => {
    const twice = await parse(part("key", "k") + part("file", "1", "a") + part("file", "2", "b") + end);
    expect(twice.result).toEqual({ ok: false, code: "IncorrectNumberOfFilesInPostRequest" });
    const none = await parse(part("key", "k") + end);
    expect(none.result).toEqual({ ok: false, code: "IncorrectNumberOfFilesInPostRequest" });
    const big = await parse(part("x-amz-meta-big", "v".repeat(21 * 1024)) + part("file", "x", "a") + end);
    expect(big.result).toEqual({ ok: false, code: "MaxPostPreDataLengthExceededError" });
    expect(big.seen.fields).toBeUndefined();
    const truncated = await parse(
      part("key", "k") +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nhalf`,
    );
    expect(truncated.result).toEqual({ ok: false, code: "MalformedPOSTRequest" });
    const badHeader = await parse(`--${BOUNDARY}\r\nContent-Disposition form-data\r\n\r\nx\r\n${end}`);
    expect(badHeader.result).toEqual({ ok: false, code: "MalformedPOSTRequest" });
  });

  it("reports the caller's refusal, at the start of the file or in the middle", async () => {
    const body = part("key", "k") + part("file", "z".repeat(100_000), "a") + part("after", "x") + end;
    expect((await parse(body, "onFile")).result).toEqual({ ok: false, code: "refused at start" });
    expect((await parse(body, "write")).result).toEqual({ ok: false, code: "refused mid-file" });
  });

  it("settles on every corruption of a valid form, without throwing", async () => {
    const valid = Buffer.from(
      `preamble\r\n${part("key", "k")}${part("blob", "b", "b.txt")}${part("file", "f".repeat(3000), "a.bin")}${part("z", "after")}${end}`,
    );
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const outcomes = new Set<string>();
    for (let i = 0; i < 300; i++) {
      let bytes = Buffer.from(valid);
      if (i % 3 === 0) bytes = bytes.subarray(0, next(bytes.length));
      else if (i % 3 === 1) for (let j = 0; j < 4; j++) bytes[next(bytes.length)] = next(256);
      else bytes = Buffer.concat([bytes.subarray(0, next(bytes.length)), bytes.subarray(next(bytes.length))]);
      const { result } = await parse(bytes, i % 5 === 0 ? "write" : undefined);
      outcomes.add(result.ok ? "ok" : result.code);
    }
    expect(
      [...outcomes].every((o) =>
        /^(ok|MalformedPOSTRequest|IncorrectNumberOfFilesInPostRequest|refused mid-file|MaxPostPreDataLengthExceededError)$/.test(
          o,
        ),
      ),
    ).toBe(true);
    expect(outcomes.has("MalformedPOSTRequest")).toBe(true);
  });
});
