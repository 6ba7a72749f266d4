/**
 * npm run soak:credentials [-- --duration 120 --rotate 10 --life 15 --workers 4 --multipart-every 20]
 *
 * The credential-rotation soak (test/credentials-soak/run.ts): uploads through a gateway whose role
 * credentials, fetched through the AWS SDK default chain from a stand-in ECS endpoint, rotate every
 * --rotate seconds. With --rgw, against Ceph RGW (scripts/ceph-rgw-up.sh), each set a new session
 * of its STS (AssumeRole). Prints its totals, writes the "credentials-soak" (or "credentials-soak-rgw")
 * section of docs/reliability.md, and exits 1 when a legitimate upload failed.
 */
import { parseArgs } from "node:util";
import { credentialSoakMarkdown, formatCredentialSoak } from "../test/credentials-soak/format.js";
import { runCredentialSoak } from "../test/credentials-soak/run.js";
import { rgwFromEnv } from "../test/rgw/env.js";
import { updateSection } from "./doc-sections.js";

const DEFAULTS = { duration: "120", rotate: "10", life: "15", workers: "4", "multipart-every": "20" };
const { values } = parseArgs({
  options: {
    duration: { type: "string", default: DEFAULTS.duration },
    rotate: { type: "string", default: DEFAULTS.rotate },
    life: { type: "string", default: DEFAULTS.life },
    workers: { type: "string", default: DEFAULTS.workers },
    "multipart-every": { type: "string", default: DEFAULTS["multipart-every"] },
    rgw: { type: "boolean", default: false },
    "no-docs": { type: "boolean", default: false },
  },
});

const whole = (name: keyof typeof DEFAULTS, min: number): number => {
  const n = Number(values[name]);
  if (!Number.isSafeInteger(n) || n < min) {
    console.error(`--${name} must be a whole number of at least ${min}, got ${JSON.stringify(values[name])}`);
    process.exit(2);
  }
  return n;
};

const settings = {
  durationMs: whole("duration", 1) * 1000,
  rotateMs: whole("rotate", 1) * 1000,
  lifeSeconds: whole("life", 2),
  workers: whole("workers", 1),
  multipartEvery: whole("multipart-every", 0),
};
if (settings.lifeSeconds * 1000 <= settings.rotateMs) {
  console.error("--life must be longer than --rotate: AWS hands out new credentials before the old expire");
  process.exit(2);
}

/** --rgw: Ceph RGW's STS, from the variables scripts/ceph-rgw-up.sh prints. */
function rgwTarget() {
  const rgw = rgwFromEnv();
  const stsEndpoint = process.env.UPGATE_TEST_RGW_STS_URL;
  const roleArn = process.env.UPGATE_TEST_RGW_STS_ROLE;
  if (!rgw || !stsEndpoint || !roleArn) {
    console.error(
      'npm run soak:credentials -- --rgw needs Ceph RGW with STS: eval "$(bash scripts/ceph-rgw-up.sh)" (it sets UPGATE_TEST_RGW_*, UPGATE_TEST_RGW_STS_URL and UPGATE_TEST_RGW_STS_ROLE)',
    );
    process.exit(2);
  }
  return { ...rgw, stsEndpoint, roleArn };
}

const report = await runCredentialSoak({
  ...settings,
  ...(values.rgw && { rgw: rgwTarget() }),
  log: (line) => console.log(line),
});
console.log(`\n${formatCredentialSoak(report)}`);

if (!values["no-docs"]) {
  const flags = (Object.keys(DEFAULTS) as Array<keyof typeof DEFAULTS>)
    .filter((name) => values[name] !== DEFAULTS[name])
    .map((name) => `--${name} ${values[name]}`);
  if (values.rgw) flags.push("--rgw");
  const command = `npm run soak:credentials${flags.length ? ` -- ${flags.join(" ")}` : ""}`;
  const section = values.rgw ? "credentials-soak-rgw" : "credentials-soak";
  updateSection("docs/reliability.md", section, credentialSoakMarkdown(report, command));
  console.log(`wrote the ${section} section of docs/reliability.md`);
}
process.exit(report.problems.length === 0 ? 0 : 1);
