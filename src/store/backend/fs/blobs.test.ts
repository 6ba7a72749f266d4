import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { Durable } from "./atomic.js";

const linkError = vi.hoisted(() => ({ code: undefined as string | undefined }));
vi.mock("node:fs/promises", async (original) => {
  const fs = await original<typeof import("node:fs/promises")>();
  return {
    ...fs,
    link: (source: string, target: string) =>
      linkError.code === undefined
        ? fs.link(source, target)
        : Promise.reject(Object.assign(new Error(`${linkError.code}: link`), { code: linkError.code })),
  };
});
const { BlobPins, linkOrCopy } = await import("./blobs.js");

describe("linkOrCopy", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "upgate-link-"));
    await writeFile(join(dir, "source"), "part bytes");
  });
  afterEach(async () => {
    linkError.code = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  test("links: the target is the same file, nothing copied", async () => {
    await linkOrCopy(join(dir, "source"), join(dir, "target"), new Durable("fsync"));
    expect((await stat(join(dir, "target"))).ino).toBe((await stat(join(dir, "source"))).ino);
  });

  test.each(["EPERM", "ENOTSUP", "EXDEV"])("copies where the filesystem refuses links (%s)", async (code) => {
    linkError.code = code;
    await linkOrCopy(join(dir, "source"), join(dir, "target"), new Durable("fsync"));
    expect((await stat(join(dir, "target"))).ino).not.toBe((await stat(join(dir, "source"))).ino);
    expect(await readFile(join(dir, "target"), "utf8")).toBe("part bytes");
  });

  test("any other failure is the caller's to handle", async () => {
    linkError.code = "ENOENT";
    await expect(linkOrCopy(join(dir, "source"), join(dir, "target"), new Durable("none"))).rejects.toThrow(
      /ENOENT/,
    );
  });
});

describe("BlobPins", () => {
  test("a released blob nobody reads is removed at once", async () => {
    const removed: string[] = [];
    const pins = new BlobPins(async (path) => removed.push(path));
    await pins.release("a", "/blobs/a");
    expect(removed).toEqual(["/blobs/a"]);
  });

  test("a released blob is removed by its last reader, and cannot be pinned while it is being removed", async () => {
    let finish!: () => void;
    const removed: string[] = [];
    const pins = new BlobPins(
      (path) =>
        new Promise<void>((done) => {
          removed.push(path);
          finish = done;
        }),
    );
    expect(pins.pin("a")).toBe(true);
    expect(pins.pin("a")).toBe(true);
    await pins.release("a", "/blobs/a");
    pins.unpin("a");
    expect(removed).toEqual([]);
    pins.unpin("a");
    expect(removed).toEqual(["/blobs/a"]);
    expect(pins.pin("a")).toBe(false);
    finish();
    await new Promise((r) => setImmediate(r));
    expect(pins.pin("b")).toBe(true);
  });
});
