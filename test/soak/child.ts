import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface Child {
  process: ChildProcess;
  pid: number;
  /** What the child printed on its first line of stdout. */
  ready: Record<string, unknown>;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
}

/** Runs a TypeScript file in a Node child (`node --import tsx`) and waits for its JSON ready line. */
export function startChild(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
): Promise<Child> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (text: string) => {
    stderr = (stderr + text).slice(-64 * 1024);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise<Child>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${script} did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    const early = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code ?? signal}) before it was ready: ${stderr}`));
    };
    child.once("exit", early);
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      clearTimeout(timer);
      child.off("exit", early);
      child.stdout!.resume();
      try {
        resolve({ process: child, pid: child.pid!, ready: JSON.parse(line), stderr: () => stderr, stop });
      } catch {
        void stop();
        reject(new Error(`${script} printed ${JSON.stringify(line)} instead of its ready line`));
      }
    });
  });
}
