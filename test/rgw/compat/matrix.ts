import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { table, updateSection } from "../../../scripts/doc-sections.js";
import { type Measured, PROBES, type Support } from "./probes.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../../..");
export const PRODUCTION_DOC = join(root, "docs/production.md");
export const RELIABILITY_DOC = join(root, "docs/reliability.md");
export const SECURITY_DOC = join(root, "docs/security.md");
/** The last measured run (written by the RGW suite): the docs are rendered from it and known-stores.json. */
export const MEASURED_FILE = join(here, "measured.json");
export const REPRODUCE = 'eval "$(bash scripts/ceph-rgw-up.sh)" && npm run test:rgw';

export interface KnownCell {
  support: Support | "unknown";
  note?: string;
  source: string;
}

export interface KnownStore {
  id: string;
  name: string;
  cells: Record<string, KnownCell>;
}

export function knownStores(): KnownStore[] {
  const raw = JSON.parse(readFileSync(join(here, "known-stores.json"), "utf8")) as { stores: KnownStore[] };
  return raw.stores;
}

/** The doctor check that reports each capability a store may lack (`upgate doctor --json` ids). */
export const DOCTOR_CHECK: Record<string, string> = {
  "presigned-put": "write",
  "checksum-sha256": "checksum",
  "write-once": "write-once",
  "write-once-multipart": "multipart-once",
  post: "post",
  "cors-config": "cors",
  "cors-preflight": "preflight",
  "part-checksum": "part-checksum",
  "unsigned-amz": "acl",
};

/** "Ceph RGW 16.2.15" from `radosgw --version` when it is installed here, else "Ceph RGW 16.2". */
export function rgwName(): string {
  try {
    const out = execFileSync("radosgw", ["--version"], { encoding: "utf8", timeout: 10_000 });
    const version = /ceph version (\d+\.\d+\.\d+)/.exec(out)?.[1];
    if (version) return `Ceph RGW ${version}`;
  } catch {
    // Not installed on this machine (the gateway may be remote).
  }
  return "Ceph RGW 16.2";
}

const MEASURED_LABEL: Record<Support, string> = { yes: "yes", no: "**no**", partial: "partial" };

function knownCell(cell: KnownCell | undefined): string {
  if (!cell) return "unknown";
  const label = cell.support === "no" ? "**no**" : cell.support;
  return `${label}${cell.note ? ` (${cell.note})` : ""} [source](${cell.source})`;
}

const escapeCell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export interface MatrixInput {
  embedded: readonly Measured[];
  rgw: readonly Measured[];
  rgwName: string;
  date: string;
}

function headerRow(input: MatrixInput): string[] {
  return [
    "Capability",
    `Embedded store (measured ${input.date})`,
    `${input.rgwName} (measured ${input.date})`,
    ...knownStores().map((s) => `${s.name} (documented)`),
    "Doctor check",
  ];
}

/** One row per probe, in PROBES order: the same cells wherever the row is shown. */
export function compatibilityRows(input: MatrixInput): Map<string, string[]> {
  const stores = knownStores();
  const byId = (list: readonly Measured[]) => new Map(list.map((m) => [m.id, m]));
  const embedded = byId(input.embedded);
  const rgw = byId(input.rgw);
  return new Map(
    PROBES.map((probe) => {
      const e = embedded.get(probe.id);
      const r = rgw.get(probe.id);
      return [
        probe.id,
        [
          probe.capability,
          e ? MEASURED_LABEL[e.support] : "not run",
          r
            ? `${MEASURED_LABEL[r.support]}${r.support === "yes" ? "" : `: ${escapeCell(r.detail)}`}`
            : "not run",
          ...stores.map((s) => knownCell(s.cells[probe.id])),
          DOCTOR_CHECK[probe.id] ? `\`${DOCTOR_CHECK[probe.id]}\`` : "",
        ],
      ];
    }),
  );
}

/** The table for docs/production.md: measured columns first, then the documented stores. */
export function renderCompatibility(input: MatrixInput): string {
  return [
    "## Storage compatibility",
    "",
    `Measured by \`${REPRODUCE}\` (the probes in test/rgw/compat/probes.ts, reusing doctor's checks) against the embedded store and a single-node Ceph cluster (one monitor, one memstore OSD, RGW beast); the run is kept in test/rgw/compat/measured.json. The AWS, R2 and MinIO columns come from test/rgw/compat/known-stores.json: what their documentation or maintainers say, with the source of each cell; run \`upgate doctor\` against your own deployment, since versions differ. After editing known-stores.json, \`npm run docs:compat\` renders this table (and its rows in [security.md](security.md#what-storage-does-not-enforce-by-backend)) again without Ceph.`,
    "",
    table(headerRow(input), [...compatibilityRows(input).values()]),
  ].join("\n");
}

/** The capabilities docs/security.md shows: what stops a tampered upload, by backend. */
export const SECURITY_ROWS = [
  "signed-type",
  "signed-length",
  "metadata",
  "unsigned-amz",
  "checksum-sha256",
  "part-checksum",
  "write-once",
  "write-once-multipart",
  "post",
  "post-length-range",
  "copy-if-match",
] as const;

/** docs/security.md's table: the same rows, cell for cell, as the full matrix in production.md. */
export function renderEnforcement(input: MatrixInput): string {
  const rows = compatibilityRows(input);
  return [
    "These rows are the [storage compatibility matrix](production.md#storage-compatibility)'s, cell for cell (generated from the same run and sources; a docs test fails when they differ): the embedded store and Ceph RGW measured, the others as their documentation says.",
    "",
    table(
      headerRow(input),
      SECURITY_ROWS.map((id) => rows.get(id)!),
    ),
  ].join("\n");
}

/** The summary for docs/reliability.md. */
export function renderRgwSummary(input: MatrixInput): string {
  const count = (list: readonly Measured[]) => {
    const partial = list.filter((m) => m.support === "partial").length;
    return `${list.filter((m) => m.support === "yes").length} of ${list.length}${partial ? ` (and ${partial} partly)` : ""}`;
  };
  const differences = input.rgw.filter((m) => m.support !== "yes");
  const capability = (id: string) => PROBES.find((p) => p.id === id)?.capability ?? id;
  const lines = differences.map(
    (m) =>
      `- ${capability(m.id)}: ${m.detail}${m.support === "no" && DOCTOR_CHECK[m.id] ? ` (doctor warns: \`${DOCTOR_CHECK[m.id]}\`)` : ""}`,
  );
  return [
    "## Ceph RGW",
    "",
    `${PROBES.length} capabilities probed on ${input.date}: the embedded store has ${count(input.embedded)}, ${input.rgwName} has ${count(input.rgw)}. The full matrix, with AWS S3, Cloudflare R2 and MinIO from their documentation, is in [production.md](production.md#storage-compatibility).`,
    "",
    differences.length ? `Where ${input.rgwName} differs:` : `${input.rgwName} differs in nothing probed.`,
    ...lines,
    "",
    "Reproduce (Debian 12, as root; installs Ceph when missing):",
    "",
    "```sh",
    REPRODUCE,
    "bash scripts/ceph-rgw-down.sh",
    "```",
  ].join("\n");
}

/** Every generated section that shows the matrix, from one run. */
export function renderCompatibilityDocs(input: MatrixInput): void {
  updateSection(PRODUCTION_DOC, "compatibility", renderCompatibility(input));
  updateSection(RELIABILITY_DOC, "rgw", renderRgwSummary(input));
  updateSection(SECURITY_DOC, "enforcement", renderEnforcement(input));
}

export function readMeasured(): MatrixInput {
  return JSON.parse(readFileSync(MEASURED_FILE, "utf8")) as MatrixInput;
}

/** Keeps the run (so the docs can be rendered again without Ceph), then renders the docs. */
export function writeCompatibilityDocs(input: MatrixInput): void {
  writeFileSync(MEASURED_FILE, `${JSON.stringify(input, null, 2)}\n`);
  renderCompatibilityDocs(input);
}
