/**
 * A small disk for the store: a 16 MiB tmpfs mounted over a temporary directory (we run as root).
 * When mounting is refused, the fallback injects ENOSPC into every file write while `full` is set,
 * and says so.
 */
import { execFileSync } from "node:child_process";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { vi } from "vitest";

export const DISK_BYTES = 16 * 1024 * 1024;

export interface SmallDisk {
  readonly kind: "tmpfs" | "injected ENOSPC";
  /** Why the tmpfs was not used, when it was not. */
  readonly fallbackReason?: string;
  readonly dir: string;
  /** Injected mode only: makes every write fail with ENOSPC (a real tmpfs fills by itself). */
  setFull(full: boolean): void;
  release(): Promise<void>;
}

const enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });

export async function smallDisk(parent: string): Promise<SmallDisk> {
  const dir = join(parent, "disk");
  execFileSync("mkdir", ["-p", dir]);
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${DISK_BYTES}`, "tmpfs", dir], { stdio: "pipe" });
    return {
      kind: "tmpfs",
      dir,
      setFull() {},
      async release() {
        execFileSync("umount", [dir]);
      },
    };
  } catch (error) {
    const reason = String((error as { stderr?: Buffer }).stderr ?? error).trim();
    const probe = await open(join(parent, "probe"), "w");
    const prototype = Object.getPrototypeOf(probe) as { write: (...args: unknown[]) => Promise<unknown> };
    await probe.close();
    const original = prototype.write;
    let full = false;
    const spy = vi.spyOn(prototype, "write").mockImplementation(function (this: unknown, ...args: unknown[]) {
      return full ? Promise.reject(enospc()) : original.apply(this, args);
    });
    return {
      kind: "injected ENOSPC",
      fallbackReason: reason,
      dir,
      setFull(value) {
        full = value;
      },
      async release() {
        spy.mockRestore();
      },
    };
  }
}
