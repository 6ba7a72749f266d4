/**
 * Download names and served headers: the name a file is saved under ends in its verified type's
 * extension; active content (HTML, SVG, XML) is an attachment unless the route opts the type in;
 * and storage answers the download with the gateway's headers (no Content-Encoding, a private
 * no-store Cache-Control), whatever the uploader named the file.
 */
import type { PutInstruction } from "../../../src/core/protocol.js";
import type { AdversarialCase } from "../support/case.js";
import { runGatewayCatalogue } from "../support/gateway-catalogue.js";
import { type FileDecl, ok, refusal, verifiedUpload } from "../support/gateway-steps.js";
import type { GatewayWorld } from "../support/gateway-world.js";
import { PNG_1X1, SVG_SCRIPT } from "../support/samples.js";

type Case = AdversarialCase<GatewayWorld>;

const text = (s: string) => new TextEncoder().encode(s);

/** The download's served headers must be these; `disposition` is matched against Content-Disposition. */
interface Served {
  type: string;
  disposition: RegExp;
}

function nameCase(
  name: string,
  attack: string,
  route: string,
  file: Omit<FileDecl, "size">,
  bytes: Uint8Array,
  served: Served,
): Case {
  return {
    family: "download names",
    name,
    attack: `${attack} (accepted: the upload is legitimate; what is checked is how it is served)`,
    expect: ok(302),
    allowStateChange: true,
    setup: async () => ({}),
    async run(w, p) {
      const token = await w.token("namer");
      const instruction = await verifiedUpload(w, token, route, { ...file, size: bytes.length }, bytes);
      const res = await w.api(`/v1/files/${instruction.id}`, { token });
      Object.assign(p as object, { instruction, location: res.headers.get("location") });
      return refusal(res);
    },
    async verify(_w, p) {
      const { location } = p as { instruction: PutInstruction; location: string };
      const res = await fetch(location);
      await res.arrayBuffer();
      const problems: string[] = [];
      const disposition = res.headers.get("content-disposition") ?? "";
      if (!served.disposition.test(disposition)) problems.push(`Content-Disposition ${disposition}`);
      if (res.headers.get("content-type") !== served.type)
        problems.push(`Content-Type ${res.headers.get("content-type")}`);
      const cache = res.headers.get("cache-control") ?? "";
      if (!/\bno-store\b/.test(cache) || /\bpublic\b/.test(cache)) problems.push(`Cache-Control ${cache}`);
      const encoding = res.headers.get("content-encoding");
      if (encoding !== null && encoding !== "identity") problems.push(`Content-Encoding ${encoding}`);
      if (problems.length > 0) throw new Error(`served with ${problems.join(", ")}`);
    },
  };
}

const cases: Case[] = [
  nameCase(
    "hta verified as text",
    "plain text named update.hta (Windows runs .hta files)",
    "files",
    { name: "update.hta", type: "text/plain" },
    text("just some notes\n"),
    { type: "text/plain", disposition: /^attachment; filename="update\.hta\.txt"/ },
  ),
  nameCase(
    "hta with a trailing dot",
    "plain text named update.hta. (Windows drops the trailing dot)",
    "files",
    { name: "update.hta.", type: "text/plain" },
    text("just some notes\n"),
    { type: "text/plain", disposition: /^attachment; filename="update\.hta\.txt"/ },
  ),
  nameCase(
    "PNG named page.html",
    "a PNG named page.html, served inline",
    "files",
    { name: "page.html", type: "image/png" },
    PNG_1X1,
    { type: "image/png", disposition: /^inline; filename="page\.html\.png"/ },
  ),
  nameCase(
    "PNG named photo.png",
    "an ordinary PNG: its name is kept",
    "files",
    { name: "photo.png", type: "image/png" },
    PNG_1X1,
    { type: "image/png", disposition: /^inline; filename="photo\.png"/ },
  ),
  nameCase(
    "HTML is an attachment",
    "HTML with script on a route that takes HTML",
    "files",
    { name: "index.html", type: "text/html" },
    text("<!doctype html><script>alert(document.domain)</script>"),
    { type: "text/html", disposition: /^attachment; filename="index\.html"/ },
  ),
  nameCase(
    "SVG named as PNG is an attachment",
    "an SVG with script named pic.png",
    "files",
    { name: "pic.png", type: "image/svg+xml" },
    SVG_SCRIPT,
    { type: "image/svg+xml", disposition: /^attachment; filename="pic\.png\.svg"/ },
  ),
];

const optedIn: Case[] = [
  nameCase(
    "SVG inline where the route opts in",
    "an SVG on a route with inline: [image/svg+xml]",
    "svg",
    { name: "logo.svg", type: "image/svg+xml" },
    SVG_SCRIPT,
    { type: "image/svg+xml", disposition: /^inline; filename="logo\.svg"/ },
  ),
];

const types = ["text/plain", "text/html", "image/png", "image/svg+xml"];
runGatewayCatalogue(
  "gateway download names",
  { routes: { files: { types, maxSize: "1MB", strategy: "put" } } },
  cases,
);
runGatewayCatalogue(
  "gateway download names (inline opt-in)",
  {
    routes: {
      svg: { types: ["image/svg+xml"], maxSize: "1MB", strategy: "put", inline: ["image/svg+xml"] },
    },
  },
  optedIn,
);
