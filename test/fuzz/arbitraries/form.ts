import fc from "fast-check";

/** A multipart/form-data body as a browser builds it for an S3 POST upload. */
export interface FormSpec {
  boundary: string;
  fields: Array<[string, string]>;
  fileName: string;
  fileType: string;
  file: Uint8Array;
  /** Fields after the file, which S3 ignores. */
  after: Array<[string, string]>;
}

const NAME = /^[A-Za-z0-9_$.-][A-Za-z0-9_$.-]{0,19}$/;
const nameArb = fc
  .oneof(
    fc.constantFrom(
      "key",
      "policy",
      "x-amz-signature",
      "x-amz-credential",
      "Content-Type",
      "x-amz-meta-user",
      "success_action_status",
    ),
    fc.stringMatching(NAME),
  )
  .filter((n) => n.toLowerCase() !== "file");

/** Values never hold CR or "-", so no value can end its part early. */
const valueArb = fc.string({
  unit: fc.oneof(
    { arbitrary: fc.constantFrom(..."abcXYZ019 =/+_.:;,{}[]\"'\t\n"), weight: 8 },
    { arbitrary: fc.constantFrom("é", "日本", "😀", "\u202e", "\0"), weight: 1 },
  ),
  maxLength: 60,
});

export const formSpecArb: fc.Arbitrary<FormSpec> = fc.record({
  boundary: fc.oneof(
    fc.constant("----WebKitFormBoundary7MA4YWxkTrZu0gW"),
    fc.stringMatching(/^[A-Za-z0-9'()+_,./:=?]{1,69}$/).filter((b) => !/[ ]$/.test(b)),
  ),
  fields: fc.uniqueArray(fc.tuple(nameArb, valueArb), { selector: ([n]) => n.toLowerCase(), maxLength: 8 }),
  fileName: fc.oneof(
    fc.constantFrom("a.png", "photo 1.jpg", "日本.txt", "..\\..\\x"),
    fc.stringMatching(/^[A-Za-z0-9 ._-]{1,30}$/),
  ),
  fileType: fc.constantFrom("image/png", "text/plain", "application/octet-stream"),
  file: fc.uint8Array({ maxLength: 2000 }),
  after: fc.array(fc.tuple(nameArb, valueArb), { maxLength: 2 }),
});

const disposition = (name: string, fileName?: string) =>
  `Content-Disposition: form-data; name="${name}"${fileName === undefined ? "" : `; filename="${fileName}"`}`;

export function encodeForm(spec: FormSpec): Uint8Array {
  const b = spec.boundary;
  const parts: Buffer[] = [];
  const field = ([name, value]: [string, string]) =>
    Buffer.from(`--${b}\r\n${disposition(name)}\r\n\r\n${value}\r\n`);
  parts.push(...spec.fields.map(field));
  parts.push(
    Buffer.from(`--${b}\r\n${disposition("file", spec.fileName)}\r\nContent-Type: ${spec.fileType}\r\n\r\n`),
    Buffer.from(spec.file),
    Buffer.from("\r\n"),
  );
  parts.push(...spec.after.map(field));
  parts.push(Buffer.from(`--${b}--\r\n`));
  return new Uint8Array(Buffer.concat(parts));
}

/** The boundary is quoted when it holds characters a header token may not (RFC 2045 tspecials). */
export const formContentType = (boundary: string) =>
  `multipart/form-data; boundary=${/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(boundary) ? boundary : `"${boundary}"`}`;
