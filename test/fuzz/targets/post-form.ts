import { Readable } from "node:stream";
import fc from "fast-check";
import { S3Error } from "../../../src/store/errors.js";
import {
  type FileSink,
  type FormField,
  POST_FORM_LIMITS,
  type PostFormLimits,
  parsePostForm,
} from "../../../src/store/post-form.js";
import { encodeForm, type FormSpec, formContentType, formSpecArb } from "../arbitraries/form.js";
import {
  applyByteEdits,
  applyEdits,
  cutsArb,
  type Edit,
  editsArb,
  rawBytesArb,
  rawTextArb,
  splitBytes,
} from "../arbitraries/mutate.js";
import { observe } from "../harness/observe.js";
import { check, checkEqual, type FuzzTarget, settle } from "../harness/target.js";

/** What parsePostForm is documented to reject a form with (besides what onFile or the sink throw). */
const FORM_CODES = new Set([
  "MalformedPOSTRequest",
  "IncorrectNumberOfFilesInPostRequest",
  "MaxPostPreDataLengthExceededError",
  "IncompleteBody",
]);

const SMALL_LIMITS: PostFormLimits = { maxPreDataBytes: 64, maxParts: 4, maxHeaderPairs: 3, drainBytes: 512 };

class SinkRefusal extends Error {}

type Refuse = "never" | "on-file" | "on-write" | "on-end";

interface Input {
  body:
    | { kind: "form"; spec: FormSpec; edits: Edit[]; typeEdits: Edit[] }
    | { kind: "raw"; bytes: Uint8Array; contentType: string };
  cuts: number[];
  small: boolean;
  refuse: Refuse;
}

const bodyArb: fc.Arbitrary<Input["body"]> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("form" as const),
      spec: formSpecArb,
      edits: editsArb(
        3,
        fc.oneof(
          fc.constantFrom(
            "--",
            "\r\n\r\n",
            "\r\n--",
            'name="file"',
            'filename="x"',
            ";",
            'Content-Disposition: form-data; name="file"; filename="b"\r\n\r\n',
          ),
          rawTextArb(8),
        ),
      ),
      typeEdits: fc.oneof(
        { weight: 4, arbitrary: fc.constant<Edit[]>([]) },
        { weight: 1, arbitrary: editsArb(2) },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("raw" as const),
      bytes: rawBytesArb(600),
      contentType: fc.oneof(
        fc.constant(formContentType("B")),
        fc.constant("multipart/form-data"),
        rawTextArb(60),
      ),
    }),
  },
);

const inputArb: fc.Arbitrary<Input> = fc.record({
  body: bodyArb,
  cuts: cutsArb,
  small: fc.boolean(),
  refuse: fc.constantFrom<Refuse>("never", "never", "never", "on-file", "on-write", "on-end"),
});

interface Received {
  fields: FormField[];
  fileName: string | undefined;
  bytes: Buffer;
}

async function property(input: Input): Promise<void> {
  const { body } = input;
  const bytes = body.kind === "form" ? applyByteEdits(encodeForm(body.spec), body.edits) : body.bytes;
  const contentType =
    body.kind === "form" ? applyEdits(formContentType(body.spec.boundary), body.typeEdits) : body.contentType;
  const limits = input.small ? SMALL_LIMITS : POST_FORM_LIMITS;
  let files = 0;
  const onFile = async (fields: FormField[], fileName: string | undefined): Promise<FileSink<Received>> => {
    files++;
    if (input.refuse === "on-file") throw new SinkRefusal("refused at onFile");
    const chunks: Buffer[] = [];
    return {
      write: async (chunk) => {
        if (input.refuse === "on-write") throw new SinkRefusal("refused at write");
        chunks.push(Buffer.from(chunk));
      },
      end: async () => {
        if (input.refuse === "on-end") throw new SinkRefusal("refused at end");
        return { fields, fileName, bytes: Buffer.concat(chunks) };
      },
    };
  };
  const stream = Readable.from(splitBytes(bytes, input.cuts).map((c) => Buffer.from(c)));
  const r = await settle(
    () => parsePostForm(stream, contentType, onFile, limits),
    (err) => (err instanceof S3Error && FORM_CODES.has(err.code)) || err instanceof SinkRefusal,
    "parsePostForm",
  );
  check(files <= 1, `onFile was called ${files} times`);
  observe(
    r.ok
      ? "accepted"
      : r.error instanceof SinkRefusal
        ? "refused:sink"
        : `refused:${(r.error as S3Error).code}`,
  );
  const valid =
    body.kind === "form" && body.edits.length === 0 && body.typeEdits.length === 0 && !input.small;
  if (!r.ok) {
    if (r.error instanceof SinkRefusal) check(input.refuse !== "never", "a refusal nobody made");
    else check(!valid, () => `a valid form was refused: ${(r.error as S3Error).code}`);
    return;
  }
  check(files === 1 && r.value !== undefined, "parsePostForm resolved without a file");
  check(
    input.refuse === "never" || (input.refuse === "on-write" && r.value.bytes.length === 0),
    "a sink refusal was lost",
  );
  if (valid) {
    observe("round-trip");
    // Round trip: the fields before the file, the file name and the file's bytes, exactly.
    checkEqual(r.value.fields, body.spec.fields, "fields");
    // busboy keeps only the last path segment of a file name, as browsers send it ("." and ".." become "").
    const base = body.spec.fileName.replace(/^.*[\\/]/, "");
    checkEqual(r.value.fileName, base === "." || base === ".." ? "" : base, "file name");
    checkEqual(r.value.bytes.toString("hex"), Buffer.from(body.spec.file).toString("hex"), "file bytes");
  }
}

/** The S3 POST multipart/form-data parser: mutated browser forms, random bodies and content types. */
export const postFormTarget: FuzzTarget<Input> = {
  name: "post-form",
  subject: "parsePostForm (store): multipart/form-data for POST uploads, split at random points",
  reaches: [
    "round-trip",
    "accepted",
    "refused:MalformedPOSTRequest",
    "refused:IncorrectNumberOfFilesInPostRequest",
    "refused:MaxPostPreDataLengthExceededError",
    "refused:sink",
  ],
  arbitrary: inputArb,
  property,
};
