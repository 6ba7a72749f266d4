import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { checkLedger } from "../../src/cli/doctor/ledger-check.js";
import { upgateRun } from "../../src/cli/invocation.js";
import { projectRoot, runCli } from "../support/cli.js";

const COMMANDS = "dev|serve|store|cors|doctor|sign|upload|sweep|--help";
/** A command the CLI tells the user to run, written out as `upgate <command>` instead of through invocation.ts. */
const BARE = new RegExp(`(?:\\brun|\\bsee|Run "|\\()\\s*upgate (?:${COMMANDS})\\b`);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** String contents of a file, comments left out (they are not printed). */
function printedText(file: string): string[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => !/^\s*(\*|\/\/|\/\*\*)/.test(line));
}

describe("every command the CLI prints works when pasted where it says", () => {
  it("no printed text names a bare `upgate <command>` to run: they go through invocation.ts", () => {
    const offenders: string[] = [];
    for (const file of sources(join(projectRoot, "src/cli"))) {
      const name = relative(projectRoot, file);
      for (const [i, line] of printedText(file).entries()) {
        if (BARE.test(line)) offenders.push(`${name}:${i + 1}: ${line.trim()}`);
        if (name !== join("src", "cli", "invocation.ts") && /npx upgate|npm run upgate --/.test(line))
          offenders.push(`${name}:${i + 1}: hard-codes one way to run upgate: ${line.trim()}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("reads npx upgate in an installed project and npm run upgate -- in a clone", () => {
    expect(upgateRun("doctor --json", join("/srv", "app", "node_modules", "upgate"))).toBe(
      "npx upgate doctor --json",
    );
    expect(upgateRun("doctor --json")).toBe("npm run upgate -- doctor --json");
  });

  it("the help, usage errors and unknown commands name the clone's way here", {
    timeout: 60_000,
  }, async () => {
    const [help, unknown, cors, flag] = await Promise.all([
      runCli(["--help"]),
      runCli(["frobnicate"]),
      runCli(["cors", "fix"]),
      runCli(["sweep", "--bogus"]),
    ]);
    expect(help.stdout).toContain('Run "npm run upgate -- <command> --help"');
    expect(unknown.stderr).toContain("(run npm run upgate -- --help)");
    expect(cors.stderr).toContain("(see npm run upgate -- cors --help)");
    expect(flag.stderr).toContain("(see npm run upgate -- sweep --help)");
  });

  it("doctor's ledger fix names the start command the same way", async () => {
    const check = await checkLedger({ kind: "sqlite", path: join(projectRoot, "no-such-dir", "ledger.db") });
    expect(check.status).toBe("fail");
    expect(check.fix).toContain("npm run upgate -- serve");
    expect(check.fix).toContain("npm run upgate -- dev");
  });
});
