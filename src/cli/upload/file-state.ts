import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ResumeRecord, StateStore } from "../../client/index.js";

/**
 * The client's resume records as JSON files, one per record (named by the SHA-256 of its key), so
 * several `upgate upload` processes never rewrite each other's records. Writes go to a temporary
 * file first and are renamed into place: a kill -9 leaves the old record or the new one, never half.
 */
export function fileStateStore(dir: string): StateStore {
  const pathOf = (key: string) => join(dir, `${createHash("sha256").update(key).digest("hex")}.json`);
  let ready: Promise<unknown> | undefined;
  return {
    async get(key) {
      let text: string;
      try {
        text = await readFile(pathOf(key), "utf8");
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw err;
      }
      try {
        const record = JSON.parse(text) as ResumeRecord;
        return record.key === key ? record : undefined;
      } catch {
        // A record this store did not write whole (another tool, a full disk): forget it.
        await rm(pathOf(key), { force: true });
        return undefined;
      }
    },
    async put(record) {
      ready ??= mkdir(dir, { recursive: true, mode: 0o700 });
      await ready;
      const target = pathOf(record.key);
      const temporary = `${target}.${randomBytes(6).toString("hex")}.tmp`;
      await writeFile(temporary, JSON.stringify(record), { mode: 0o600 });
      await rename(temporary, target);
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
