import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

const COMMANDS = ["dev", "serve", "store", "cors", "doctor", "sign", "upload", "sweep"];

describe("every command", { timeout: 120_000 }, () => {
  it("prints its help with --help and exits 0", async () => {
    const results = await Promise.all(COMMANDS.map((c) => runCli([c, "--help"])));
    results.forEach((r, i) => {
      expect(r.code, COMMANDS[i]).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: upgate ${COMMANDS[i]}`));
      expect(r.stdout).toMatch(/-h, --help/);
    });
  });

  it("refuses an unknown flag with exit 2 and one line naming it", async () => {
    const results = await Promise.all(COMMANDS.map((c) => runCli([c, "--frobnicate"])));
    results.forEach((r, i) => {
      expect(r.code, COMMANDS[i]).toBe(2);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/Unknown option '--frobnicate'/);
    });
  });

  it("lists every command in the top-level help", async () => {
    const top = await runCli(["--help"]);
    expect(top.code).toBe(0);
    for (const c of COMMANDS) expect(top.stdout).toMatch(new RegExp(`^  ${c} `, "m"));
  });

  it("refuses flag values it cannot use, with one line each", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["dev", "--port", "http"], /--port must be a port number/],
      [["serve", "--port", "99999"], /--port must be a port number/],
      [
        ["sign", "--key", "k", "--bucket", "b", "--method", "POST"],
        /--method must be PUT, GET, HEAD or DELETE/,
      ],
      [["sign", "--bucket", "b", "--endpoint", "http://127.0.0.1:1"], /--key is required/],
      [["upload", "f.txt"], /--route is required/],
      [
        ["upload", "f.txt", "--route", "images", "--concurrency", "0"],
        /--concurrency must be a whole number/,
      ],
      [["cors", "fix"], /say "show" or "apply"/],
      [["sweep", "--limit", "0"], /--limit must be a whole number/],
      [["doctor", "--endpoint"], /argument missing/],
    ];
    const results = await Promise.all(
      cases.map(([args]) => runCli(args, { UPGATE_STORAGE_ACCESS_KEY: "", UPGATE_STORAGE_SECRET_KEY: "" })),
    );
    results.forEach((r, i) => {
      expect(r.code, cases[i]![0].join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(cases[i]![1]);
    });
  });
});
