import fc from "fast-check";
import {
  AwsChunkedDecoder,
  ChunkedDecodeError,
  type ChunkedMode,
} from "../../../src/core/sigv4/chunked-decoder.js";
import type { ChunkSigningContext } from "../../../src/core/sigv4/sign-request.js";
import { type ChunkedSpec, type Encoded, encode, layout, TRAILERS } from "../../property/chunked-fixture.js";
import {
  applyByteEdits,
  cutsArb,
  type Edit,
  editsArb,
  rawBytesArb,
  splitBytes,
} from "../arbitraries/mutate.js";
import { checkFailure } from "../arbitraries/sigv4.js";
import { observe } from "../harness/observe.js";
import { check, checkEqual, type FuzzTarget, settle } from "../harness/target.js";

/** The codes AwsChunkedDecoder refuses a body with, and their statuses. */
const DECODER_CODES: Record<string, number> = {
  InvalidRequest: 400,
  IncompleteBody: 400,
  SignatureDoesNotMatch: 403,
  BadDigest: 400,
};

type Region = "anywhere" | "size" | "signature" | "data" | "crlf" | "trailer" | "trailer-signature";
type Length = "exact" | "absent" | "shorter" | "longer";

type Input =
  | { kind: "framed"; spec: ChunkedSpec; region: Region; edits: Edit[]; length: Length }
  | { kind: "raw"; mode: ChunkedMode; trailer: string; bytes: Uint8Array; cuts: number[]; length?: number };

const MODES: ChunkedMode[] = ["signed", "signed-trailer", "unsigned-trailer"];

const specArb: fc.Arbitrary<ChunkedSpec> = fc.record({
  mode: fc.constantFrom(...MODES),
  payload: fc.uint8Array({ maxLength: 600 }),
  // Signed chunks cost an HMAC each: keep most bodies to a few dozen chunks.
  chunkSize: fc.oneof(fc.integer({ min: 16, max: 700 }), fc.integer({ min: 1, max: 15 })),
  trailer: fc.constantFrom(...TRAILERS),
  cuts: cutsArb,
});

const framedArb: fc.Arbitrary<Input> = fc.record({
  kind: fc.constant("framed" as const),
  spec: specArb,
  region: fc.constantFrom<Region>(
    "anywhere",
    "size",
    "size",
    "signature",
    "data",
    "crlf",
    "crlf",
    "trailer",
    "trailer-signature",
  ),
  edits: editsArb(2),
  length: fc.constantFrom<Length>("exact", "exact", "exact", "absent", "shorter", "longer"),
});

const rawArb: fc.Arbitrary<Input> = fc.record(
  {
    kind: fc.constant("raw" as const),
    mode: fc.constantFrom(...MODES),
    trailer: fc.oneof(
      fc.constantFrom(
        ...TRAILERS,
        "x-amz-checksum-crc64nvme",
        "",
        "x-amz-checksum-md5, x-amz-checksum-crc32",
      ),
      fc.string({ maxLength: 30 }),
    ),
    bytes: fc.oneof(
      rawBytesArb(400),
      fc
        .array(
          fc.tuple(
            fc.oneof(fc.stringMatching(/^[0-9a-fA-F]{0,20}$/), fc.string({ maxLength: 8 })),
            fc.string({ maxLength: 80 }),
          ),
          {
            maxLength: 6,
          },
        )
        .map(
          (lines) => new Uint8Array(Buffer.from(`${lines.map(([a, b]) => `${a};${b}\r\n`).join("")}\r\n`)),
        ),
    ),
    cuts: cutsArb,
    length: fc.nat({ max: 1000 }),
  },
  { requiredKeys: ["kind", "mode", "trailer", "bytes", "cuts"] },
);

/** Moves each edit into the chosen part of the body, found by reading its framing. */
function aimEdits(wire: Uint8Array, region: Region, edits: Edit[]): Edit[] {
  if (region === "anywhere") return edits;
  const l = layout(wire);
  const ranges: Array<[number, number]> =
    region === "size"
      ? l.sizes
      : region === "signature"
        ? l.chunkSignatures
        : region === "data"
          ? l.data
          : region === "crlf"
            ? l.crs.map((at): [number, number] => [at, at + 2])
            : region === "trailer"
              ? l.trailerValues
              : l.trailerSignature
                ? [l.trailerSignature]
                : [];
  if (ranges.length === 0) return edits;
  return edits.map((edit) => {
    const [start, end] = ranges[edit.at % ranges.length]!;
    return { ...edit, at: start + (Math.floor(edit.at / ranges.length) % Math.max(1, end - start + 1)) };
  });
}

function decodedLengthFor(e: Encoded, length: Length): number | undefined {
  const n = e.spec.payload.length;
  return length === "exact"
    ? n
    : length === "absent"
      ? undefined
      : length === "shorter"
        ? Math.max(0, n - 1)
        : n + 1;
}

/** Pushes the wire in the spec's pieces and ends; payload pieces are copied, as the decoder may reuse them. */
async function decode(e: Encoded, wire: Uint8Array, decodedLength: number | undefined) {
  try {
    const decoder = new AwsChunkedDecoder({
      mode: e.spec.mode,
      ...(e.spec.mode !== "unsigned-trailer" && { signing: e.signing }),
      accessKeyId: "AKIAEXAMPLE",
      ...(e.trailers.length > 0 && { trailer: e.spec.trailer }),
      ...(decodedLength !== undefined && { decodedLength }),
    });
    const out: Uint8Array[] = [];
    for (const piece of splitBytes(wire, e.spec.cuts)) {
      for (const decoded of await decoder.push(piece)) out.push(decoded.slice());
    }
    const end = await decoder.end();
    return { ok: true as const, payload: Buffer.concat(out), decodedLength: end.decodedLength };
  } catch (err) {
    if (err instanceof ChunkedDecodeError) return { ok: false as const, error: err.failure };
    throw err;
  }
}

async function framedProperty(input: Extract<Input, { kind: "framed" }>): Promise<void> {
  const e = await encode(input.spec);
  const wire = applyByteEdits(e.wire, aimEdits(e.wire, input.region, input.edits));
  const length = decodedLengthFor(e, input.length);
  const unchanged = Buffer.from(wire).equals(Buffer.from(e.wire));
  const r = await settle(
    () => decode(e, wire, length),
    () => false,
    "AwsChunkedDecoder",
  );
  if (!r.ok) return;
  const result = r.value;
  observe(result.ok ? (unchanged ? "round-trip" : "changed-but-same") : `refused:${result.error.code}`);
  if (!result.ok) {
    checkFailure(result.error, "AwsChunkedDecoder", DECODER_CODES);
    check(
      !(unchanged && (length === undefined || length === e.spec.payload.length)),
      () => `a body encoded by encodeAwsChunked was refused: ${result.error.code} ${result.error.message}`,
    );
    return;
  }
  check(
    length === undefined || length === e.spec.payload.length,
    "a wrong x-amz-decoded-content-length was accepted",
  );
  // Signatures and checksums bind the payload: whatever still decodes must decode to the same bytes.
  checkEqual(
    Buffer.from(result.payload).toString("hex"),
    Buffer.from(e.spec.payload).toString("hex"),
    "decoded payload",
  );
  checkEqual(result.decodedLength, e.spec.payload.length, "decodedLength");
}

let context: Promise<ChunkSigningContext> | undefined;

async function rawProperty(input: Extract<Input, { kind: "raw" }>): Promise<void> {
  context ??= encode({
    mode: "signed",
    payload: new Uint8Array(),
    chunkSize: 1,
    trailer: TRAILERS[0]!,
    cuts: [1],
  }).then((e) => e.signing);
  const signing = await context;
  const run = async () => {
    const decoder = new AwsChunkedDecoder({
      mode: input.mode,
      signing,
      trailer: input.trailer,
      ...(input.length !== undefined && { decodedLength: input.length }),
    });
    for (const piece of splitBytes(input.bytes, input.cuts)) await decoder.push(piece);
    return decoder.end();
  };
  const r = await settle(run, (err) => err instanceof ChunkedDecodeError, "AwsChunkedDecoder");
  if (!r.ok) {
    const failure = (r.error as ChunkedDecodeError).failure;
    observe(`raw:${failure.code}`);
    checkFailure(failure, "AwsChunkedDecoder", DECODER_CODES);
    return;
  }
  // Without a valid chunk signature (signed modes) or checksum, random bytes cannot decode.
  check(input.mode === "unsigned-trailer", "AwsChunkedDecoder accepted random bytes in a signed mode");
}

/** The aws-chunked decoder: random framing, split points, corrupted sizes, signatures and trailers. */
export const awsChunkedTarget: FuzzTarget<Input> = {
  name: "aws-chunked",
  subject: "AwsChunkedDecoder (signed, signed-trailer, unsigned-trailer): framing, signatures, trailers",
  reaches: [
    "round-trip",
    "refused:InvalidRequest",
    "refused:IncompleteBody",
    "refused:SignatureDoesNotMatch",
    "refused:BadDigest",
    "raw:InvalidRequest",
  ],
  arbitrary: fc.oneof({ arbitrary: framedArb, weight: 3 }, { arbitrary: rawArb, weight: 1 }),
  property: (input) => (input.kind === "framed" ? framedProperty(input) : rawProperty(input)),
};
