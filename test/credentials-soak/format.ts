import { table } from "../../scripts/doc-sections.js";
import type { CredentialSoakReport } from "./run.js";

const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** What this run cannot show on Ceph RGW 16, and what was measured apart from it. */
const RGW_NOTES = `What differs on Ceph RGW 16.2 (its STS needs \`rgw enable apis\` with \`sts\`, \`rgw s3 auth use sts = true\` and an \`rgw sts key\`, none changeable at runtime, and a role: \`scripts/ceph-rgw-up.sh\` sets them up):

- With STS on, RGW 16 answers a request whose signature does not match 403 AccessDenied instead of SignatureDoesNotMatch (the compatibility probes saw it): \`scripts/ceph-rgw-up.sh\` therefore runs STS on a second radosgw of the same zone, and the gateway here uses that one.
- Sessions last 900 s at least (\`DurationSeconds\` under 900 is refused), so a two-minute run cannot wait for one to expire: each set here is a new AssumeRole session, taken every ~10 s because the provider reports it as ending sooner than it does.
- RGW answers a session's key without its token, or with another token, 403 AccessDenied (AWS: InvalidAccessKeyId, InvalidToken; the row above is measured by each run). A session used after its expiry also gets 403 AccessDenied (a HEAD a bare 403), not ExpiredToken: measured apart from the soak on 2026-12-07, with a 900 s session used 5 s after it expired. The gateway cannot tell that from a refused permission, so on RGW it is the refresh ahead of expiry (the margin) that keeps uploads working; only a HEAD's bare 403 makes it fetch new credentials and retry.`;

function rows(r: CredentialSoakReport): Array<[string, string | number]> {
  const { settings: s, uploads: u } = r;
  return [
    [
      "Duration",
      `${s1(r.elapsedMs)} (${s.workers} concurrent uploaders, ${s.pauseMs} ms apart, no client retries)`,
    ],
    ["Storage", s.storage],
    [
      "Credentials",
      s.storage.startsWith("Ceph")
        ? `a new STS AssumeRole session every ~${s.rotateMs / 1000} s (reported as ending ${(2 * s.rotateMs) / 1000} s after it began; RGW's own last 900 s)`
        : `a new set every ${s.rotateMs / 1000} s, each expiring ${s.lifeSeconds} s after its rotation began (ECS container endpoint stand-in, through the AWS SDK default chain)`,
    ],
    ["Rotations (sets handed out)", r.rotations],
    [
      "Gateway refreshes: ok / failed / after a refusal",
      `${r.refreshes.ok} / ${r.refreshes.failed} / ${r.refreshes.refused}`,
    ],
    ["Uploads: PUT / POST / multipart", `${u.put} / ${u.post} / ${u.multipart}`],
    ["Uploads verified", `${u.verified} (${(u.bytes / 1024 / 1024).toFixed(1)} MiB)`],
    ["Downloads checked / mismatched", `${r.downloads.checked} / ${r.downloads.mismatches}`],
    ["Sweeps run / failed", `${r.sweeps.runs} / ${r.sweeps.failed}`],
    ["Failed legitimate uploads", r.failures.length],
    [
      "A session's key signing without its token / with another token",
      `${r.refusals.withoutToken} / ${r.refusals.otherToken}`,
    ],
  ];
}

export function formatCredentialSoak(r: CredentialSoakReport): string {
  const lines = rows(r).map(([k, v]) => `  ${k.padEnd(48)} ${v}`);
  const verdict = r.problems.length === 0 ? "PASSED" : `FAILED: ${r.problems.join("; ")}`;
  return [
    "credential rotation soak",
    ...lines,
    ...r.failures.slice(0, 20).map((f) => `  failure: ${f}`),
    verdict,
  ].join("\n");
}

export function credentialSoakMarkdown(r: CredentialSoakReport, command: string): string {
  const rgw = r.settings.storage.startsWith("Ceph");
  const how = rgw
    ? `the gateway takes its credentials from Ceph RGW's STS (a new AssumeRole session through \`@aws-sdk/credential-providers\`' fromTemporaryCredentials about every ${r.settings.rotateMs / 1000} s)`
    : `the gateway with \`credentials: "aws"\` takes role credentials through the real AWS SDK default chain from a stand-in ECS container endpoint that hands out the embedded store's temporary credentials, rotated every ${r.settings.rotateMs / 1000} s`;
  return [
    rgw ? "## Credential rotation soak on Ceph RGW STS" : "## Credential rotation soak",
    "",
    `\`${command}\` (${new Date().toISOString().slice(0, 10)}): ${how}, while clients upload over HTTP with the upgate client (retries off), verified files are downloaded and compared, and the sweeper lists the bucket every 5 s.`,
    "",
    table(["", "result"], rows(r)),
    "",
    r.problems.length === 0 ? "Passed: no legitimate upload failed." : `Failed: ${r.problems.join("; ")}.`,
    ...(rgw ? ["", RGW_NOTES] : []),
  ].join("\n");
}
