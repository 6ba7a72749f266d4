import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResumeRecord } from "../../client/index.js";
import { fileStateStore } from "./file-state.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "upgate-cli-state-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const record = (key: string, etags: Record<string, string> = {}): ResumeRecord => ({
  key,
  id: "up1",
  route: "files",
  uploadId: "mp1",
  objectKey: "files/ada/x",
  partSize: 5,
  sizes: [5, 5, 2],
  etags,
  expiresAt: "2030-01-01T00:00:00.000Z",
  updatedAt: "2030-01-01T00:00:00.000Z",
});

describe("the file state store", () => {
  it("keeps one JSON file per record, survives a new instance, and forgets deleted ones", async () => {
    const store = fileStateStore(join(dir, "a"));
    expect(await store.get("k1")).toBeUndefined();
    await store.put(record("k1"));
    await store.put(record("k1", { "1": '"e1"' }));
    await store.put(record("k2"));
    expect(await readdir(join(dir, "a"))).toHaveLength(2);
    expect(await fileStateStore(join(dir, "a")).get("k1")).toEqual(record("k1", { "1": '"e1"' }));
    await store.delete("k1");
    expect(await store.get("k1")).toBeUndefined();
    expect(await store.get("k2")).toEqual(record("k2"));
  });

  it("drops a record file that is not whole JSON", async () => {
    const store = fileStateStore(join(dir, "b"));
    await store.put(record("k"));
    const [name] = await readdir(join(dir, "b"));
    await writeFile(join(dir, "b", name!), '{"key":"k", "id"');
    expect(await store.get("k")).toBeUndefined();
    expect(await readdir(join(dir, "b"))).toEqual([]);
  });
});
