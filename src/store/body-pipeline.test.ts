import { createHash, randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, test } from "vitest";
import { BodyPipeline } from "./body-pipeline.js";

/** Pieces of uneven sizes (as sockets and chunk decoders deliver them) adding up to `total`. */
function pieces(total: number): Buffer[] {
  const out: Buffer[] = [];
  for (let made = 0, i = 0; made < total; i++) {
    const size = Math.min(total - made, 1 + ((i * 48_271) % 200_000));
    out.push(randomBytes(size));
    made += size;
  }
  return out;
}

describe("BodyPipeline", () => {
  test("the sink receives every byte in order, and the md5 is of all of them", async () => {
    const input = pieces(5 * 1024 * 1024 + 12_345);
    const written: Buffer[] = [];
    let writing = 0;
    const pipeline = new BodyPipeline(async (chunk) => {
      writing++;
      expect(writing, "one write at a time").toBe(1);
      written.push(Buffer.from(chunk));
      await sleep(1);
      writing--;
    });
    const all = Buffer.concat(input);
    for (const piece of input) await pipeline.push(piece);
    const md5 = await pipeline.finish();
    expect(Buffer.concat(written).equals(all)).toBe(true);
    expect(md5.toString("hex")).toBe(createHash("md5").update(all).digest("hex"));
  });

  test("pieces are left as they were given", async () => {
    const input = pieces(3 * 1024 * 1024);
    const copies = input.map((p) => Buffer.from(p));
    const pipeline = new BodyPipeline(async () => {});
    for (const piece of input) await pipeline.push(piece);
    await pipeline.finish();
    expect(input.every((p, i) => p.equals(copies[i]!))).toBe(true);
  });

  test("the sink writes whole 1 MiB batches, not the socket's pieces, and may be handed reused memory", async () => {
    const input = pieces(5 * 1024 * 1024 + 7);
    const sizes: number[] = [];
    const written: Buffer[] = [];
    const pipeline = new BodyPipeline(async (chunk) => {
      sizes.push(chunk.byteLength);
      written.push(Buffer.from(chunk));
    });
    const reused = Buffer.alloc(200_000);
    for (const piece of input) {
      // The caller's buffer is refilled at once, as a socket's may be.
      piece.copy(reused);
      await pipeline.push(reused.subarray(0, piece.length));
      reused.fill(0);
    }
    await pipeline.finish();
    expect(sizes).toEqual([...Array(5).fill(1024 * 1024), 7]);
    expect(Buffer.concat(written).equals(Buffer.concat(input))).toBe(true);
  });

  test("a short body is written and hashed at finish", async () => {
    const written: number[] = [];
    const pipeline = new BodyPipeline(async (chunk) => {
      written.push(chunk.length);
    });
    await pipeline.push(Buffer.from("hello"));
    expect((await pipeline.finish()).toString("hex")).toBe(createHash("md5").update("hello").digest("hex"));
    expect(written).toEqual([5]);
  });

  test("a failing sink fails push() or finish() with its own error, and writes stop", async () => {
    let calls = 0;
    const failure = new Error("disk full");
    const pipeline = new BodyPipeline(async () => {
      calls++;
      throw failure;
    });
    const run = async () => {
      for (const piece of pieces(20 * 1024 * 1024)) await pipeline.push(piece);
      await pipeline.finish();
    };
    await expect(run()).rejects.toBe(failure);
    await pipeline.abandon();
    expect(calls).toBe(1);
  });

  test("abandon() returns only once pending writes have settled", async () => {
    let pending = 0;
    const pipeline = new BodyPipeline(async () => {
      pending++;
      await sleep(20);
      pending--;
    });
    for (const piece of pieces(3 * 1024 * 1024)) await pipeline.push(piece);
    await pipeline.abandon();
    expect(pending).toBe(0);
  });
});
