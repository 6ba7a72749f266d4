import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot, runCli, spawnCli } from "../support/cli.js";
import { type DevRig, startDevRig } from "./support/dev.js";

const MiB = 1024 * 1024;
const PARTS = 10;
const hasScript = spawnSync("script", ["--version"]).status === 0;

let rig: DevRig;
let bigFile: string;
let bigBytes: Buffer;
/** Part PUTs the store answered 200, since the last reset. */
let partPuts = 0;
/** Store requests not yet answered. */
let storeActive = 0;

beforeAll(async () => {
  rig = await startDevRig({
    files: { types: ["*/*"], maxSize: "1GB", strategy: "multipart", partSize: "5MB" },
    notes: { types: ["text/plain"], maxSize: "1MB" },
  });
  rig.stack.store.server.on("request", (req, res) => {
    storeActive++;
    res.once("close", () => {
      storeActive--;
    });
    res.once("finish", () => {
      if (req.method === "PUT" && /[?&]partNumber=/.test(req.url ?? "") && res.statusCode === 200) partPuts++;
    });
  });
  bigBytes = randomBytes(PARTS * 5 * MiB);
  bigFile = join(rig.dir, "big.bin");
  await writeFile(bigFile, bigBytes);
});
afterAll(async () => {
  await rig?.close();
});

function run(cmd: string, args: string[]): Promise<{ status: number | null; stdout: string }> {
  const child = spawn(cmd, args, { cwd: projectRoot, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stdout += d;
  });
  return new Promise((done) => child.on("close", (status) => done({ status, stdout })));
}

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("base64");

async function download(id: string, user: string): Promise<Buffer> {
  const session = await fetch(`${rig.stack.gatewayUrl}/v1/dev/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user }),
  });
  const { token } = (await session.json()) as { token: string };
  const res = await fetch(`${rig.stack.gatewayUrl}/v1/files/${id}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

const uploadArgs = (stateDir: string, ...extra: string[]) => [
  "upload",
  bigFile,
  "--route",
  "files",
  "--endpoint",
  rig.stack.gatewayUrl,
  "--dev-user",
  "ada",
  "--state-dir",
  stateDir,
  "--concurrency",
  "1",
  ...extra,
];

describe("upgate upload", { timeout: 120_000 }, () => {
  it("prints periodic plain progress lines when stderr is not a terminal, and the verified records", async () => {
    const note = join(rig.dir, "note.txt");
    await writeFile(note, "a small note\n");
    const r = await runCli([
      ...uploadArgs(join(rig.dir, "state-lines"), "--progress-interval", "100ms", "--json"),
      note,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const records = JSON.parse(r.stdout) as Array<{
      id: string;
      name: string;
      status: string;
      size: number;
      sha256: string;
    }>;
    expect(records.map((x) => [x.name, x.status, x.size])).toEqual([
      ["big.bin", "verified", bigBytes.length],
      ["note.txt", "verified", 13],
    ]);
    expect(records[0]!.sha256).toBe(sha(bigBytes));
    const lines = r.stderr.trim().split("\n");
    expect(r.stderr).not.toContain("\x1b[");
    const uploading = lines.filter((l) =>
      /^big\.bin: \d+% [\d.]+ (B|KB|MB) \/ 50 MB {2}[\d.]+ (B|KB|MB)\/s {2}(\d+s|--) left$/.test(l),
    );
    expect(uploading.length).toBeGreaterThanOrEqual(2);
    expect(lines).toContain("big.bin: 50 MB verified");
    expect(lines).toContain("note.txt: 13 B verified");
    expect(await download(records[1]!.id, "ada")).toEqual(Buffer.from("a small note\n"));
  });

  it("resumes after kill -9 halfway: only the parts storage lacks are sent, and the object verifies", async () => {
    const stateDir = join(rig.dir, "state-resume");
    partPuts = 0;
    const child = spawnCli(uploadArgs(stateDir, "--quiet"));
    const killed = new Promise<NodeJS.Signals | null>((done) =>
      child.on("close", (_code, signal) => done(signal)),
    );
    const deadline = Date.now() + 60_000;
    while (partPuts < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    child.kill("SIGKILL");
    expect(await killed).toBe("SIGKILL");
    // A part whose body was all sent before the kill may still be landing: let the store finish.
    while (storeActive > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    // A kill -9 during an atomic write may leave its temporary file; only whole records count.
    const records = async () => (await readdir(join(stateDir, "resume"))).filter((n) => !n.endsWith(".tmp"));
    const saved = await records();
    expect(saved).toHaveLength(1);
    // What storage holds now (a part may have landed as the kill did, before its answer was counted).
    const state = JSON.parse(await readFile(join(stateDir, "resume", saved[0]!), "utf8"));
    const stored = (await rig.stack.gateway.storage.listParts(state.objectKey, state.uploadId)).length;
    expect(stored).toBeGreaterThanOrEqual(3);
    expect(stored).toBeLessThan(PARTS);

    partPuts = 0;
    const again = await runCli(uploadArgs(stateDir, "--json"));
    expect(again.code, again.stderr).toBe(0);
    expect(partPuts, `${stored} parts were stored before the second run`).toBe(PARTS - stored);
    const [record] = JSON.parse(again.stdout) as Array<{ id: string; status: string; sha256: string }>;
    expect(record).toMatchObject({ status: "verified", sha256: sha(bigBytes) });
    expect(sha(await download(record!.id, "ada"))).toBe(sha(bigBytes));
    expect(await records()).toEqual([]);
  });

  it.skipIf(!hasScript)(
    "draws a bar in place on a terminal (through script(1)'s pseudo-terminal)",
    async () => {
      const note = join(rig.dir, "tty.txt");
      await writeFile(note, "tty note\n");
      const command = [
        process.execPath,
        "--import",
        "tsx",
        join(projectRoot, "src/cli/main.ts"),
        "upload",
        note,
        "--route",
        "notes",
        "--endpoint",
        rig.stack.gatewayUrl,
        "--dev-user",
        "ada",
        "--state-dir",
        join(rig.dir, "state-tty"),
      ]
        .map((a) => `'${a}'`)
        .join(" ");
      // Asynchronously: the dev stack answering the upload runs in this process.
      const r = await run("script", ["-qefc", command, "/dev/null"]);
      expect(r.status, r.stdout).toBe(0);
      expect(r.stdout).toContain("\r\x1b[2Ktty.txt [########################] 9 B verified");
      expect(r.stdout).toContain("\x1b[1A");
    },
  );

  it("fails with one line when the gateway refuses the file", async () => {
    const r = await runCli([
      "upload",
      bigFile,
      "--route",
      "notes",
      "--endpoint",
      rig.stack.gatewayUrl,
      "--dev-user",
      "ada",
      "--quiet",
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(
      /^upgate upload: big\.bin is binary data \(application\/octet-stream\), not an allowed type for notes/,
    );
    const missing = await runCli(["upload", join(rig.dir, "nope.bin"), "--route", "files"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(`upgate upload: ${join(rig.dir, "nope.bin")}: no such file`);
  });
});
