import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { awsChunkedLength } from "../../src/core/sigv4/chunked.js";
import { SEED } from "../support/sigv4-arbitraries.js";
import { chunkedSpecArb, decode, encode, layout, withByte } from "./chunked-fixture.js";
import { editArb, OutcomeLog } from "./tamper.js";

const RUNS = { seed: SEED, numRuns: 150 };
const log = new OutcomeLog();
const HEX = "0123456789abcdef";
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
const pickOther = (alphabet: string, current: number, pick: number) => {
  const options = [...alphabet].map((c) => c.charCodeAt(0)).filter((b) => b !== current);
  return options[pick % options.length]!;
};

describe("aws-chunked: encode → decode", () => {
  it("gives back the payload in every mode, fed in random pieces, at the length awsChunkedLength predicts", async () => {
    await fc.assert(
      fc.asyncProperty(chunkedSpecArb, async (spec) => {
        const e = await encode(spec);
        const trailers = e.trailers.map(([n, v]): [string, number] => [n, v.length]);
        expect(e.wire.length).toBe(
          awsChunkedLength(spec.payload.length, spec.chunkSize, {
            signed: spec.mode !== "unsigned-trailer",
            trailers,
          }),
        );
        const d = await decode(e);
        if (!d.ok) throw new Error(`${d.error.code}: ${d.error.message}`);
        expect(Buffer.from(d.payload).equals(Buffer.from(spec.payload))).toBe(true);
        expect(d.decodedLength).toBe(spec.payload.length);
      }),
      RUNS,
    );
  });
});

describe("aws-chunked: tampering", () => {
  it("any data byte → SignatureDoesNotMatch when signed, BadDigest when only the trailer checks it", async () => {
    await fc.assert(
      fc.asyncProperty(chunkedSpecArb, fc.nat(), fc.integer({ min: 1, max: 255 }), async (spec, at, flip) => {
        fc.pre(spec.payload.length > 0);
        const e = await encode(spec);
        const ranges = layout(e.wire).data;
        const offsets = ranges.flatMap(([s, end]) => Array.from({ length: end - s }, (_, k) => s + k));
        const i = offsets[at % offsets.length]!;
        const d = await decode(e, withByte(e.wire, i, e.wire[i]! ^ flip));
        const expected = spec.mode === "unsigned-trailer" ? "BadDigest" : "SignatureDoesNotMatch";
        expect(d.ok ? "ok" : d.error.code).toBe(expected);
      }),
      RUNS,
    );
  });

  it("any chunk-signature or trailer-signature character → SignatureDoesNotMatch", async () => {
    await fc.assert(
      fc.asyncProperty(chunkedSpecArb, editArb, async (spec, edit) => {
        fc.pre(spec.mode !== "unsigned-trailer");
        const e = await encode(spec);
        const l = layout(e.wire);
        const ranges = [...l.chunkSignatures, ...(l.trailerSignature ? [l.trailerSignature] : [])];
        const [s, end] = ranges[edit.at % ranges.length]!;
        const i = s + (edit.pick % (end - s));
        const d = await decode(e, withByte(e.wire, i, pickOther(HEX, e.wire[i]!, edit.pick)));
        expect(d.ok ? "ok" : d.error.code).toBe("SignatureDoesNotMatch");
      }),
      RUNS,
    );
  });

  it("any trailer value character → SignatureDoesNotMatch when signed, BadDigest when not", async () => {
    await fc.assert(
      fc.asyncProperty(chunkedSpecArb, editArb, async (spec, edit) => {
        fc.pre(spec.mode !== "signed");
        const e = await encode(spec);
        const [s, end] = layout(e.wire).trailerValues[0]!;
        const i = s + (edit.at % (end - s));
        const d = await decode(e, withByte(e.wire, i, pickOther(B64, e.wire[i]!, edit.pick)));
        const expected = spec.mode === "signed-trailer" ? "SignatureDoesNotMatch" : "BadDigest";
        const got = d.ok ? "ok" : d.error.code;
        log.add("trailer", got);
        expect(got).toBe(expected);
        if (!d.ok && got === "BadDigest") {
          const alg = spec.trailer.slice("x-amz-checksum-".length).toUpperCase();
          expect(d.error.message).toBe(`The ${alg} you specified did not match the calculated checksum.`);
        }
      }),
      RUNS,
    );
    expect(log.of("trailer")).toEqual(["BadDigest", "SignatureDoesNotMatch"]);
  });

  it("a body cut short anywhere → IncompleteBody", async () => {
    await fc.assert(
      fc.asyncProperty(chunkedSpecArb, fc.nat(), async (spec, at) => {
        const e = await encode(spec);
        const d = await decode(e, e.wire.subarray(0, at % e.wire.length));
        expect(d.ok ? "ok" : d.error.code).toBe("IncompleteBody");
      }),
      RUNS,
    );
  });

  it("a decoded length other than x-amz-decoded-content-length → IncompleteBody, short or long, as S3 answers", async () => {
    await fc.assert(
      fc.asyncProperty(chunkedSpecArb, fc.integer({ min: 1, max: 100 }), async (spec, delta) => {
        const e = await encode(spec);
        const more = await decode(e, e.wire, spec.payload.length + delta);
        expect(more.ok ? "ok" : more.error.code).toBe("IncompleteBody");
        fc.pre(spec.payload.length >= delta);
        const less = await decode(e, e.wire, spec.payload.length - delta);
        expect(less.ok ? "ok" : less.error.code).toBe("IncompleteBody");
      }),
      RUNS,
    );
  });

  it("broken framing (a chunk size that is not hex, a line not ended by CRLF) → InvalidRequest", async () => {
    await fc.assert(
      fc.asyncProperty(chunkedSpecArb, fc.boolean(), editArb, async (spec, size, edit) => {
        const e = await encode(spec);
        const l = layout(e.wire);
        let wire: Uint8Array;
        if (size) {
          const [s, end] = l.sizes[edit.at % l.sizes.length]!;
          wire = withByte(e.wire, s + (edit.pick % (end - s)), "gzx -G".charCodeAt(edit.pick % 6));
        } else {
          wire = withByte(e.wire, l.crs[edit.at % l.crs.length]!, "x; ".charCodeAt(edit.pick % 3));
        }
        const d = await decode(e, wire);
        expect(d.ok ? "ok" : d.error.code).toBe("InvalidRequest");
      }),
      RUNS,
    );
  });
});
