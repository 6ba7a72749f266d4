/**
 * npm run soak:credentials [-- --duration 120 --rotate 10 --life 15 --workers 4 --multipart-every 20]
 *
 * The credential-rotation soak (test/credentials-soak/run.ts): uploads through a gateway whose role
 * credentials, fetched through the AWS SDK default chain from a stand-in ECS endpoint, rotate every
 * --rotate seconds. Prints its totals, writes the "credentials-soak" section of docs/reliability.md,
 * and exits 1 when a legitimate upload failed.
 */
import { parseArgs } from "node:util";
import { credentialSoakMarkdown, formatCredentialSoak } from "../test/credentials-soak/format.js";
import { runCredentialSoak } from "../test/credentials-soak/run.js";
import { updateSection } from "./doc-sections.js";

const DEFAULTS = { duration: "120", rotate: "10", life: "15", workers: "4", "multipart-every": "20" };
const { values } = parseArgs({
  options: {
    duration: { type: "string", default: DEFAULTS.duration },
    rotate: { type: "string", default: DEFAULTS.rotate },
    life: { type: "string", default: DEFAULTS.life },
    workers: { type: "string", default: DEFAULTS.workers },
    "multipart-every": { type: "string", default: DEFAULTS["multipart-every"] },
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

const report = await runCredentialSoak({ ...settings, log: (line) => console.log(line) });
console.log(`\n${formatCredentialSoak(report)}`);

if (!values["no-docs"]) {
  const flags = (Object.keys(DEFAULTS) as Array<keyof typeof DEFAULTS>)
    .filter((name) => values[name] !== DEFAULTS[name])
    .map((name) => `--${name} ${values[name]}`);
  const command = `npm run soak:credentials${flags.length ? ` -- ${flags.join(" ")}` : ""}`;
  updateSection("docs/reliability.md", "credentials-soak", credentialSoakMarkdown(report, command));
  console.log("wrote the credentials-soak section of docs/reliability.md");
}
process.exit(report.problems.length === 0 ? 0 : 1);
