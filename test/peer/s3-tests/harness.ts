/**
 * Runs ceph/s3-tests (read from ../shared/peer-suites/s3-tests, never copied into the repo) against the
 * embedded store: starts the store on 127.0.0.1 port 0, writes an s3tests.conf for it, runs Debian's
 * pytest on a temporary copy of the suite (pytest writes caches beside the files) and reads the
 * per-test outcomes from pytest's JUnit XML.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createFsBackend } from "../../../src/store/backend/fs/backend.js";
import { createMemoryBackend, createObjectStore, type ObjectStore } from "../../../src/store/index.js";
import { sharedDir } from "../../support/shared.js";
import { parseJunit, type TestOutcome } from "./junit.js";

/** The suite's pinned commit (../shared/peer-suites/README.md), and the files whose tests are classified. */
export const SUITE_COMMIT = "8f0ae7b404a3a2fcf7038bf1e6bf29544fe9b6a3";
export const SUITE_FILES = ["s3tests/functional/test_s3.py", "s3tests/functional/test_headers.py"] as const;

/**
 * sha256 of the files the selection depends on at SUITE_COMMIT (the copy in ../shared has no git
 * history to ask): another version of the suite is refused rather than run against a stale selection.
 */
export const SUITE_FINGERPRINT: Record<string, string> = {
  "s3tests/functional/test_s3.py": "0275f6ee7bef972c15972ea72ef70be030cf4bdf6cda66c9eacb24b26d47359e",
  "s3tests/functional/test_headers.py": "f4367a4ecbe5168c090471e9ba7692e895c67601949c6666a94bd8870c8c380d",
  "s3tests/functional/__init__.py": "5e2dade44ba3dcbb131918e5742415bde5bbcbbf9be6f31fe9955d5ba9d4df65",
  "s3tests/functional/utils.py": "8535c7055cb455298fad05a7a473b751a515ecc602094384f0f69bd7368d413b",
};

/** The files of the suite in ../shared that differ from the pinned commit's. */
export function unpinnedFiles(dir = suiteDir()): string[] {
  return Object.entries(SUITE_FINGERPRINT)
    .filter(([file, sha]) => {
      const path = join(dir, file);
      return !existsSync(path) || createHash("sha256").update(readFileSync(path)).digest("hex") !== sha;
    })
    .map(([file]) => file);
}

export const PYTHON = "/usr/bin/python3";
/** Debian's packages the suite imports (python3-boto3 and the others .ci/run installs). */
const PYTHON_MODULES = [
  "boto3",
  "pytest",
  "munch",
  "isodate",
  "lxml",
  "requests",
  "httplib2",
  "yaml",
  "pytz",
  "dateutil",
  "pytest_timeout",
];
export const APT_PACKAGES =
  "python3-boto3 python3-pytest python3-munch python3-isodate python3-lxml python3-requests python3-httplib2 python3-yaml python3-tz python3-dateutil python3-pytest-timeout";

export const suiteDir = (): string => resolve(sharedDir(), "peer-suites/s3-tests");

/** Why the suite cannot run here (no Python packages, no suite), or undefined when it can. */
export function missingPrerequisite(): string | undefined {
  let dir: string;
  try {
    dir = suiteDir();
  } catch (err) {
    return (err as Error).message;
  }
  if (!existsSync(join(dir, SUITE_FILES[0]))) return `ceph/s3-tests was not found at ${dir}`;
  if (!existsSync(PYTHON)) return `${PYTHON} is missing: apt-get install -y ${APT_PACKAGES}`;
  const probe = spawnSync(PYTHON, ["-c", `import ${PYTHON_MODULES.join(", ")}`], { encoding: "utf8" });
  if (probe.status !== 0) {
    const reason = probe.stderr.trim().split("\n").at(-1) ?? "import failed";
    return `${PYTHON} cannot import the suite's modules (${reason}): apt-get install -y ${APT_PACKAGES}`;
  }
  return undefined;
}

/** One user of the suite's config ([s3 main], [s3 alt], [s3 tenant]): its own key pair on the store. */
export interface SuiteUser {
  section: "s3 main" | "s3 alt" | "s3 tenant";
  accessKeyId: string;
  secretAccessKey: string;
}

export const SUITE_USERS: SuiteUser[] = [
  {
    section: "s3 main",
    accessKeyId: "S3TESTSMAIN000000001",
    secretAccessKey: "s3-tests-main-secret/0123456789abcdefghij",
  },
  {
    section: "s3 alt",
    accessKeyId: "S3TESTSALT0000000001",
    secretAccessKey: "s3-tests-alt-secret/0123456789abcdefghijk",
  },
  {
    section: "s3 tenant",
    accessKeyId: "S3TESTSTENANT0000001",
    secretAccessKey: "s3-tests-tenant-secret/0123456789abcdefg",
  },
];

/**
 * The canonical user id the store reports for an access key (src/store/handlers/owner.ts): the
 * config's user_id must equal it for the tests that compare Owner/ID.
 */
export function storeUserId(accessKeyId: string): string {
  return createHash("sha256").update(`upgate-store:${accessKeyId}`).digest("hex");
}

/** s3tests.conf for a store at `port`. The IAM sections are required by the suite's config reader only. */
export function suiteConfig(port: number): string {
  const lines = [
    "[DEFAULT]",
    "host = 127.0.0.1",
    `port = ${port}`,
    "is_secure = False",
    "ssl_verify = False",
    "",
    "[fixtures]",
    "bucket prefix = s3t-{random}-",
    "",
  ];
  for (const user of SUITE_USERS) {
    const name = user.section.split(" ")[1];
    lines.push(
      `[${user.section}]`,
      `display_name = ${user.accessKeyId}`,
      `user_id = ${storeUserId(user.accessKeyId)}`,
      `email = ${name}@s3-tests.invalid`,
      `access_key = ${user.accessKeyId}`,
      `secret_key = ${user.secretAccessKey}`,
      ...(user.section === "s3 tenant" ? ["tenant = testx"] : []),
      ...(user.section === "s3 main" ? ["api_name = "] : []),
      "",
    );
  }
  for (const section of ["iam", "iam root", "iam alt root"]) {
    lines.push(
      `[${section}]`,
      "display_name = iam",
      "user_id = iam",
      "email = iam@s3-tests.invalid",
      "access_key = S3TESTSIAMNOTASTORE1",
      "secret_key = not-a-store-credential",
      "",
    );
  }
  return lines.join("\n");
}

export type BackendKind = "fs" | "memory";

export interface PeerStore {
  store: ObjectStore;
  port: number;
  close(): Promise<void>;
}

/** The embedded store as the suite sees it: every suite user's key pair, no start-up buckets. */
export async function startPeerStore(kind: BackendKind): Promise<PeerStore> {
  const dataDir = kind === "fs" ? await mkdtemp(join(tmpdir(), "upgate-s3-tests-data-")) : undefined;
  const store = createObjectStore({
    backend: dataDir ? createFsBackend({ dataDir, durability: "none" }) : createMemoryBackend(),
    credentials: SUITE_USERS.map((u) => ({ accessKeyId: u.accessKeyId, secretAccessKey: u.secretAccessKey })),
  });
  await store.listen(0, "127.0.0.1");
  const port = Number(new URL(store.url).port);
  return {
    store,
    port,
    async close() {
      await store.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** pytest's arguments shared by collection and runs: no cache, no inherited options, plain output. */
const PYTEST_BASE = ["-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=", "--color=no"];

/** The environment pytest runs in: the config, and no AWS settings from the machine. */
function suiteEnv(conf: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AWS_")) env[k] = v;
  return {
    ...env,
    S3TEST_CONF: conf,
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    PYTHONDONTWRITEBYTECODE: "1",
  };
}

function runPython(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  onLine?: (line: string) => void,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(PYTHON, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let pending = "";
    const take = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      output += text;
      if (output.length > 4_000_000) output = output.slice(-2_000_000);
      if (!onLine) return;
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", reject);
    child.on("close", (code) => {
      if (onLine && pending) onLine(pending);
      resolvePromise({ code, output });
    });
  });
}

/** A temporary copy of the suite with a config for `port`; removed by the returned function. */
async function workCopy(port: number): Promise<{ dir: string; conf: string; remove(): Promise<void> }> {
  const work = await mkdtemp(join(tmpdir(), "upgate-s3-tests-"));
  const dir = join(work, "s3-tests");
  await cp(suiteDir(), dir, { recursive: true });
  const conf = join(work, "s3tests.conf");
  await writeFile(conf, suiteConfig(port));
  return { dir, conf, remove: () => rm(work, { recursive: true, force: true }) };
}

/** A test function of the suite: its file (under s3tests/functional) and name, parameters stripped. */
export interface SuiteTest {
  file: string;
  name: string;
}

/** Every test function in SUITE_FILES, as pytest collects them (no store needed). */
export async function collectSuite(): Promise<SuiteTest[]> {
  const copy = await workCopy(1);
  try {
    const { code, output } = await runPython(
      [...PYTEST_BASE, "--collect-only", "-q", ...SUITE_FILES],
      copy.dir,
      suiteEnv(copy.conf),
    );
    if (code !== 0) throw new Error(`pytest --collect-only failed (exit ${code}):\n${output.slice(-3000)}`);
    const seen = new Set<string>();
    const tests: SuiteTest[] = [];
    for (const line of output.split("\n")) {
      const m = /^s3tests\/functional\/([\w.]+)::(\w+)(\[.*\])?$/.exec(line.trim());
      if (!m || seen.has(m[2]!)) continue;
      seen.add(m[2]!);
      tests.push({ file: m[1]!, name: m[2]! });
    }
    return tests;
  } finally {
    await copy.remove();
  }
}

export interface RunOptions {
  port: number;
  tests: SuiteTest[];
  /** pytest-timeout per test, seconds. */
  timeoutSeconds?: number;
  /** Called with each line pytest prints. */
  onLine?: (line: string) => void;
}

export interface RunResult {
  /** By test function name; a parametrized function fails if any of its cases does. */
  outcomes: Map<string, TestOutcome>;
  exitCode: number | null;
  /** pytest's last lines, for a run that produced no report. */
  tail: string;
}

/**
 * Runs the tests once each, serially, in a temporary copy of the suite. Asynchronous on purpose:
 * the store answering the suite may live in this very process.
 */
export async function runSuite(options: RunOptions): Promise<RunResult> {
  const copy = await workCopy(options.port);
  try {
    const junit = join(copy.dir, "..", "junit.xml");
    const args = [
      ...PYTEST_BASE,
      `--junitxml=${junit}`,
      "-o",
      "junit_family=xunit2",
      `--timeout=${options.timeoutSeconds ?? 60}`,
      "-v",
      "-rN",
      ...options.tests.map((t) => `s3tests/functional/${t.file}::${t.name}`),
    ];
    const { code, output } = await runPython(args, copy.dir, suiteEnv(copy.conf), options.onLine);
    const xml = existsSync(junit) ? await readFile(junit, "utf8") : "";
    return { outcomes: parseJunit(xml), exitCode: code, tail: output.slice(-4000) };
  } finally {
    await copy.remove();
  }
}
