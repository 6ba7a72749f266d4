/**
 * Header injection at create: CR/LF (and other line breaks) in file names, content types, metadata
 * names and values, which would otherwise reach signed headers, x-amz-meta-* values or a download's
 * Content-Disposition.
 */
import { signToken } from "../../integ/gateway/support.js";
import type { AdversarialCase } from "../support/case.js";
import { createOne, createRequest, type FileDecl, ok, putOk, refusal } from "../support/gateway-steps.js";
import { type GatewayWorld, openGatewayWorld } from "../support/gateway-world.js";
import { runCatalogue } from "../support/runner.js";
import { PNG_1X1 } from "../support/samples.js";

type Case = AdversarialCase<GatewayWorld>;
const INVALID = { status: 400, code: "VALIDATION_FAILED" };
const png = (extra: Partial<FileDecl> = {}): FileDecl => ({
  name: "a.png",
  type: "image/png",
  size: PNG_1X1.length,
  ...extra,
});

function refused(name: string, attack: string, file: FileDecl): Case {
  return {
    family: "header injection",
    name,
    attack,
    expect: INVALID,
    run: async (w) => refusal(await createRequest(w, await w.token("injector"), "images", [file])),
  };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: line breaks and controls are what is looked for.
const BREAKS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const cases: Case[] = [
  refused(
    "CRLF in name",
    "a file name with CRLF and a header after it",
    png({ name: "a.png\r\nx-amz-acl: public-read" }),
  ),
  refused("LF in name", "a file name with a bare LF", png({ name: "a\n.png" })),
  refused("CR in name", "a file name with a bare CR", png({ name: "a\r.png" })),
  refused("NEL in name", "a file name with U+0085 (NEL, a C1 line break)", png({ name: "a\u0085.png" })),
  refused("tab in name", "a file name with a tab (header folding)", png({ name: "a\t.png" })),
  refused(
    "CRLF in type",
    "a content type with CRLF and a second header",
    png({ type: "image/png\r\nx-amz-acl: public-read" }),
  ),
  refused(
    "LF in type parameter",
    "a line break inside a content-type parameter",
    png({ type: 'image/png; a="x\ny"' }),
  ),
  refused(
    "CRLF CRLF in type",
    "a content type that ends the headers and starts a body",
    png({ type: "image/png\r\n\r\n<html>" }),
  ),
  refused(
    "CRLF in metadata value",
    "a metadata value with CRLF and a header",
    png({ metadata: { note: "x\r\nx-amz-acl: public-read" } }),
  ),
  refused("LF in metadata value", "a metadata value with a bare LF", png({ metadata: { note: "x\ny" } })),
  refused(
    "NUL in metadata value",
    "a metadata value with a NUL byte",
    png({ metadata: { note: "x\u0000y" } }),
  ),
  refused(
    "CRLF in metadata name",
    "a metadata name with CRLF",
    png({ metadata: { "a\r\nx-amz-acl": "public-read" } }),
  ),
  refused(
    "colon in metadata name",
    "a metadata name that is a whole header line",
    png({ metadata: { "x-amz-acl:public-read": "1" } }),
  ),
  refused(
    "U+2028 in metadata value",
    "a Unicode line separator in a metadata value",
    png({ metadata: { note: "a\u2028b" } }),
  ),
  refused(
    "non-ASCII metadata value",
    "a metadata value outside ASCII (header bytes are Latin-1 on some stacks)",
    png({ metadata: { note: "caf\u00e9" } }),
  ),
  refused(
    "leading space in metadata value",
    "a metadata value starting with a space (folding, trimmed away)",
    png({ metadata: { note: " x" } }),
  ),
  refused(
    "upper-case metadata name",
    "a metadata name with capitals (X-Amz-Acl)",
    png({ metadata: { "X-Amz-Acl": "public-read" } }),
  ),
  {
    family: "header injection",
    name: "CRLF in JWT subject",
    attack:
      "a JWT subject with CRLF, signed as x-amz-meta-upgate-user (accepted: the value is percent-encoded)",
    expect: ok(200),
    allowStateChange: true,
    setup: async () => ({}),
    async run(w, prepared) {
      const token = await signToken("eve\r\nx-amz-acl: public-read");
      const instruction = await createOne(w, token, "images", png());
      Object.assign(prepared as object, { instruction });
      await putOk(instruction, PNG_1X1);
      return refusal(await w.api(`/v1/uploads/${instruction.id}/complete`, { method: "POST", token }));
    },
    async verify(w, prepared) {
      const { instruction } = prepared as { instruction: { headers: Record<string, string>; key: string } };
      for (const [name, value] of Object.entries(instruction.headers)) {
        if (BREAKS.test(value)) throw new Error(`signed header ${name} carries a line break`);
      }
      if (instruction.headers["x-amz-meta-upgate-user"] !== "eve%0D%0Ax-amz-acl%3A%20public-read")
        throw new Error(`uploader header is ${instruction.headers["x-amz-meta-upgate-user"]}`);
      const stored = (await w.objects()).find((o) => o.key === instruction.key);
      if (!stored) throw new Error("the upload was not stored");
    },
  },
  {
    family: "header injection",
    name: "quotes and U+2028 in a downloaded name",
    attack:
      "a name with quotes, a backslash and U+2028 that reaches Content-Disposition on download (accepted: escaped)",
    expect: ok(302),
    allowStateChange: true,
    setup: async () => ({}),
    async run(w, prepared) {
      const token = await w.token("injector");
      const instruction = await createOne(
        w,
        token,
        "images",
        png({ name: 'x".png\u2028\\"; filename=evil.html' }),
      );
      await putOk(instruction, PNG_1X1);
      await w.api(`/v1/uploads/${instruction.id}/complete`, { method: "POST", token });
      const res = await w.api(`/v1/files/${instruction.id}`, { token });
      Object.assign(prepared as object, { location: res.headers.get("location") });
      return refusal(res);
    },
    async verify(_w, prepared) {
      const { location } = prepared as { location: string };
      const file = await fetch(location);
      const disposition = file.headers.get("content-disposition") ?? "";
      await file.arrayBuffer();
      if (BREAKS.test(disposition)) throw new Error(`line break in ${JSON.stringify(disposition)}`);
      // One quoted filename (its quote and backslash replaced) and one RFC 8187 filename*.
      const match = /^inline; filename="([^"\\]*)"; filename\*=UTF-8''([A-Za-z0-9%!#$&+.^_`|~-]+)$/.exec(
        disposition,
      );
      if (!match) throw new Error(`unexpected Content-Disposition ${JSON.stringify(disposition)}`);
      // The name ends in ".html", so the verified type's ".png" is appended (download-name.ts).
      if (match[1] !== "x_.png___; filename=evil.html.png") throw new Error(`fallback name is ${match[1]}`);
    },
  },
];

runCatalogue(
  "gateway header injection",
  () => openGatewayWorld({ routes: { images: { types: ["image/png"], maxSize: "1MB" } } }),
  cases,
);
