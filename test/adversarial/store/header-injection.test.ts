import type { SignedRequest } from "../../../src/core/sigv4/sign-request.js";
import type { AdversarialCase, Refusal } from "../support/case.js";
import { requestHead } from "../support/raw-socket.js";
import { runCatalogue } from "../support/runner.js";
import { DENIED, SDM } from "../support/store-refusals.js";
import { BODY, openStoreWorld, type StoreWorld } from "../support/store-world.js";

/** What node's HTTP parser (like S3's front end) answers to a request that is not valid HTTP/1.1. */
const BAD_HTTP: Refusal = { status: 400, code: "" };

type C = AdversarialCase<StoreWorld>;
type Prepared = { path: string; signed: SignedRequest };

/**
 * A legitimate header-signed PUT of BODY with signed metadata and type, then sent over a raw socket
 * after `edit` rewrote its header lines (as name/value pairs, so raw CR, LF and NUL survive).
 */
function injected(
  name: string,
  attack: string,
  expect: Refusal,
  edit: (lines: Array<[string, string]>, p: Prepared) => { lines: Array<[string, string]>; target?: string },
): C {
  return {
    family: "header injection",
    name,
    attack,
    expect,
    setup: async (w) => {
      const path = w.path(w.freshKey("uploads/user-1/inject"));
      const signed = await w.sign("PUT", path, {
        headers: { "content-type": "text/plain", "x-amz-meta-note": "hello" },
        body: BODY,
      });
      return { path, signed };
    },
    run: (w, prepared) => {
      const p = prepared as Prepared;
      const base: Array<[string, string]> = [
        ["host", w.host],
        ["content-length", String(BODY.length)],
        ...Object.entries(p.signed.headers),
      ];
      const out = edit(base, p);
      return w.raw([requestHead("PUT", out.target ?? p.path, out.lines), BODY]);
    },
  };
}

const replaceValue =
  (header: string, value: string) =>
  (lines: Array<[string, string]>): { lines: Array<[string, string]> } => ({
    lines: lines.map(([k, v]) => [k, k === header ? value : v]),
  });

const cases: C[] = [
  injected(
    "CRLF in metadata adds an unsigned metadata header",
    "x-amz-meta-note: hello\\r\\nx-amz-meta-role: admin",
    DENIED,
    replaceValue("x-amz-meta-note", "hello\r\nx-amz-meta-role: admin"),
  ),
  injected(
    "CRLF in metadata adds an unsigned checksum header",
    "x-amz-meta-note: hello\\r\\nx-amz-checksum-crc32: AAAAAA==",
    DENIED,
    replaceValue("x-amz-meta-note", "hello\r\nx-amz-checksum-crc32: AAAAAA=="),
  ),
  injected(
    "CRLF in metadata adds a second Content-Type",
    "x-amz-meta-note: hello\\r\\nContent-Type: text/html (joined with the signed one)",
    SDM,
    replaceValue("x-amz-meta-note", "hello\r\nContent-Type: text/html"),
  ),
  injected(
    "CRLF in Content-Type adds Transfer-Encoding",
    "Content-Type: text/plain\\r\\nTransfer-Encoding: chunked next to Content-Length (request smuggling)",
    BAD_HTTP,
    replaceValue("content-type", "text/plain\r\nTransfer-Encoding: chunked"),
  ),
  injected(
    "CRLF CRLF in metadata ends the header section early",
    "x-amz-meta-note: hello\\r\\n\\r\\nPUT /evil ... (a second request smuggled in the first's headers)",
    DENIED,
    (lines, p) => ({
      lines: lines.map(([k, v]) => [
        k,
        k === "x-amz-meta-note" ? `hello\r\n\r\nPUT ${p.path}-evil HTTP/1.1\r\nx-amz-meta-x: 1` : v,
      ]),
    }),
  ),
  injected(
    "bare LF inside a metadata value",
    "x-amz-meta-note: hel\\nlo",
    BAD_HTTP,
    replaceValue("x-amz-meta-note", "hel\nlo"),
  ),
  injected(
    "bare CR inside a metadata value",
    "x-amz-meta-note: hel\\rlo",
    BAD_HTTP,
    replaceValue("x-amz-meta-note", "hel\rlo"),
  ),
  injected(
    "NUL inside a metadata value",
    "x-amz-meta-note: hel\\0lo",
    BAD_HTTP,
    replaceValue("x-amz-meta-note", "hel\0lo"),
  ),
  injected(
    "DEL inside a metadata value",
    "x-amz-meta-note: hel\\x7flo",
    BAD_HTTP,
    replaceValue("x-amz-meta-note", "hel\x7flo"),
  ),
  injected("space inside a header name", "x-amz-meta-no te: hello", BAD_HTTP, (lines) => ({
    lines: lines.map(([k, v]) => [k === "x-amz-meta-note" ? "x-amz-meta-no te" : k, v]),
  })),
  injected("non-ASCII byte in a header name", "x-amz-meta-nöte: hello", BAD_HTTP, (lines) => ({
    lines: lines.map(([k, v]) => [k === "x-amz-meta-note" ? "x-amz-meta-n\xf6te" : k, v]),
  })),
  injected(
    "obsolete line folding",
    "x-amz-meta-note: hello\\r\\n  x-amz-meta-role: admin (a continuation line)",
    BAD_HTTP,
    replaceValue("x-amz-meta-note", "hello\r\n  x-amz-meta-role: admin"),
  ),
  injected(
    "header line without a colon",
    "x-amz-meta-note: hello\\r\\nx-amz-meta-role admin",
    BAD_HTTP,
    replaceValue("x-amz-meta-note", "hello\r\nx-amz-meta-role admin"),
  ),
  injected(
    "CRLF in the request target",
    "PUT /bucket/key\\r\\nx-amz-meta-role: admin HTTP/1.1 (read as an extra, unsigned header)",
    DENIED,
    (lines, p) => ({
      lines,
      target: `${p.path}\r\nx-amz-meta-role: admin`,
    }),
  ),
  injected(
    "two different Content-Length headers",
    "Content-Length: 51 and Content-Length: 5",
    BAD_HTTP,
    (lines) => ({
      lines: [...lines, ["content-length", "5"]],
    }),
  ),
  injected(
    "Content-Length and Transfer-Encoding together",
    "both framing headers (request smuggling)",
    BAD_HTTP,
    (lines) => ({
      lines: [...lines, ["transfer-encoding", "chunked"]],
    }),
  ),
];

runCatalogue("store-header-injection", openStoreWorld(), cases);
