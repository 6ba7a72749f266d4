import type { ChildProcess } from "node:child_process";
import { firstLine, spawnCli } from "../../support/cli.js";

export interface Serving<Info> {
  child: ChildProcess;
  /** The start-up line (--json). */
  info: Info;
  stderr(): string;
  /** Sends `signal` and resolves when the process has exited: its code and how long that took. */
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

/** Spawns `upgate <args>` (a serving command with --json) and waits for its start-up line. */
export async function startServing<Info>(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<Serving<Info>> {
  const child = spawnCli(args, env);
  let stderr = "";
  child.stderr!.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((done) =>
    child.once("exit", (code, signal) => done({ code, signal, at: Date.now() })),
  );
  let info: Info;
  try {
    info = JSON.parse(await firstLine(child, 60_000)) as Info;
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  }
  return {
    child,
    info,
    stderr: () => stderr,
    async stop(signal) {
      const sent = Date.now();
      child.kill(signal);
      const { code, signal: how, at } = await exited;
      return { code, signal: how, ms: at - sent };
    },
  };
}
