import { table } from "../../scripts/doc-sections.js";
import { MiB } from "./options.js";
import { RESOURCE_BOUNDS, type SoakReport, slopesAsserted } from "./report.js";

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "n/a");
const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "n/a");
const slope = (n: number) => `${n >= 0 ? "+" : ""}${f1(n)}`;

function summaryRows(report: SoakReport): Array<[string, string | number]> {
  const { settings: s, uploads: u, reconciliation: r, latency, throughput, faults } = report;
  return [
    ["Duration (load)", `${f1(report.elapsedMs / 1000)} s (new uploads for ${s.durationMs / 1000} s)`],
    [
      "Users / gateway instances",
      `${s.users} / ${s.instances} (requests per instance: ${faults.perInstance.join(", ")})`,
    ],
    ["Storage", s.storage],
    [
      "Machine",
      `${report.machine.cpus} CPUs, shared; load average ${f1(report.machine.loadAtStart)} at start, ${f1(report.machine.loadAtEnd)} at end`,
    ],
    [
      "File sizes",
      `1 KiB to ${f1(s.maxFileSize / MiB)} MiB; quota ${f1(s.quota.bytes / MiB)} MiB or ${s.quota.files} files per user`,
    ],
    [
      "Uploads started / verified",
      `${u.attempted} / ${u.verified} (${u.multipart} multipart, ${f1(u.verifiedBytes / MiB)} MiB)`,
    ],
    ["Aborted by users / refused for quota", `${u.aborted} / ${u.quotaRefused}`],
    ["Failed legitimate uploads", u.failures.length],
    [
      "Wrong quota refusals / overruns sampled",
      `${u.wrongRefusals.length} / ${report.quota.overruns.length} (in ${report.quota.samples} samples)`,
    ],
    ["Downloads checked / sha256 mismatches", `${u.downloads} / ${u.sha256Mismatches.length}`],
    ["Client retries / files deleted", `${u.retries} / ${u.deleted}`],
    [
      "Faults injected",
      `${faults.gatewayResetsBeforeForwarding} gateway requests reset, ${faults.gatewayAnswersLost} gateway answers lost, ${faults.storageResets} of ${faults.storageConnections} storage connections reset`,
    ],
    ["Refusals with reservations the user never saw", u.refusedWithUnseenReservations],
    ["Aborted uploads still holding after cleanup", u.abortedStillHolding],
    ["Throughput", `${f1(throughput.uploadsPerSecond)} uploads/s, ${f1(throughput.mibPerSecond)} MiB/s`],
    [
      "Create latency p50 / p99",
      `${f0(latency.create.p50Ms)} / ${f0(latency.create.p99Ms)} ms (${latency.create.count} calls)`,
    ],
    [
      "Complete latency p50 / p99",
      `${f0(latency.complete.p50Ms)} / ${f0(latency.complete.p99Ms)} ms (${latency.complete.count} calls)`,
    ],
    [
      "Final sweep",
      `${r.sweep.verified} abandoned uploads verified, ${r.sweep.expired} expired, ${r.sweep.abortedMultipart} multipart aborted, ${r.sweep.deletedObjects} objects deleted, ${r.sweep.failed} failed`,
    ],
    [
      "Ledger vs bucket",
      `${r.ledgerVerified} verified rows, ${r.bucketObjects} objects; ${r.missingInBucket.length} missing, ${r.extraInBucket.length} extra, ${r.sizeMismatches.length} size mismatches, ${r.multipartUploadsLeft} multipart left`,
    ],
  ];
}

function resourceRows(report: SoakReport): string[][] {
  return report.resources.map((p) => [
    p.label,
    `${f0(p.rssStartMb)} → ${f0(p.rssEndMb)} (max ${f0(p.rssMaxMb)})`,
    slope(p.rssSlopeMbPerMin),
    `${p.fdsStart} → ${p.fdsEnd} (max ${p.fdsMax})`,
    slope(p.fdsSlopePerMin),
  ]);
}

function slopeNote(report: SoakReport): string {
  const b = RESOURCE_BOUNDS;
  const how = `slopes by linear regression after ${report.settings.warmupMs / 1000} s of warm-up`;
  return slopesAsserted(report)
    ? `${how}; each gateway must stay below +${b.rssSlopeMbPerMin} MB/min, +${b.fdsSlopePerMin} fds/min and ${b.maxRssMb} MB`
    : `${how}; too short a window to assert slopes (under ${b.minWindowMs / 1000} s), each gateway must stay below ${b.maxRssMb} MB`;
}

const RESOURCE_HEADER = ["Process", "RSS MB", "RSS slope MB/min", "Open fds", "fd slope /min"];

/** The figures as plain text, for the terminal. */
export function formatReport(report: SoakReport): string {
  const width = Math.max(...summaryRows(report).map(([name]) => name.length));
  const lines = summaryRows(report).map(([name, value]) => `${name.padEnd(width)}  ${value}`);
  lines.push(
    "",
    `Resources (slopes by linear regression after ${report.settings.warmupMs / 1000} s of warm-up):`,
  );
  const rows = [RESOURCE_HEADER, ...resourceRows(report)];
  const widths = RESOURCE_HEADER.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) lines.push(`  ${row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ")}`);
  lines.push("", report.problems.length === 0 ? "PASS: every soak assertion held." : "FAIL:");
  for (const problem of report.problems) lines.push(`  - ${problem}`);
  return lines.join("\n");
}

/** The docs/reliability.md section: the command, the date, and the figures. */
export function reportMarkdown(report: SoakReport, command: string): string {
  return [
    "## Scale-out soak",
    "",
    `Reproduce with \`${command}\` (needs \`UPGATE_TEST_POSTGRES_URL\`). Last run ${report.startedAt.slice(0, 16).replace("T", " ")} UTC: ${report.problems.length === 0 ? "**passed**" : `**failed** (${report.problems.length} problems)`}.`,
    "",
    `${report.settings.instances} gateway processes (createGateway + the node adapter) share one Postgres ledger behind a round-robin proxy that resets a share of connections; ${report.settings.users} virtual users run the real client (createUploader) with random aborts and tight quotas. It asserts zero failed legitimate uploads, zero wrong quota refusals, zero quota overruns (the ledger is sampled during the run), a matching sha256 for every verified object (downloaded), an exact ledger/bucket match after a final sweep, and flat RSS and open fds per gateway process.`,
    "",
    table(
      ["Figure", "Value"],
      summaryRows(report).map(([name, value]) => [name, String(value)]),
    ),
    "",
    `Resources, sampled from /proc/<pid>/status and /proc/<pid>/fd (${slopeNote(report)}):`,
    "",
    table(RESOURCE_HEADER, resourceRows(report)),
    "",
    'Only the gateway processes are held to the bounds; the store and the soak runner (which holds the files in flight, up to four of the largest at once) are reported. A refusal "with reservations the user never saw" is correct by the ledger: an earlier create of that user was reserved but its answer was lost (the proxy reset it), and that reservation holds until the URL expires plus the sweep grace, when the sweep releases it. An aborted upload "still holding after cleanup" is one the client could not cancel through the faulty proxy (its DELETE, tried twice, was cut, or the abort came while the create\'s answer was lost): like any abandoned upload it holds until its URLs expire, and the sweep releases it.',
    ...(report.problems.length === 0 ? [] : ["", "Problems:", "", ...report.problems.map((p) => `- ${p}`)]),
  ].join("\n");
}
