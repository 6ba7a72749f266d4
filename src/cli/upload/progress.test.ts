import { describe, expect, it } from "vitest";
import type { UploadProgress } from "../../client/index.js";
import { createProgressView, progressBar, progressLine } from "./progress.js";

const MiB = 1024 * 1024;
const at = (loaded: number, over: Partial<UploadProgress> = {}): UploadProgress => ({
  file: "movie.mp4",
  index: 0,
  phase: "uploading",
  hashed: 40 * MiB,
  loaded,
  total: 40 * MiB,
  rate: 4 * MiB,
  percent: (loaded / (40 * MiB)) * 100,
  ...over,
});

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 120, write: (t: string) => writes.push(t) } };
}

describe("progress output", () => {
  it("shows bytes, rate and time left", () => {
    expect(progressLine(at(10 * MiB))).toBe("movie.mp4: 25% 10 MB / 40 MB  4 MB/s  8s left");
    expect(progressLine(at(0, { phase: "hashing", hashed: 10 * MiB }))).toBe("movie.mp4: hashing 25%");
    expect(progressLine(at(40 * MiB, { phase: "done" }))).toBe("movie.mp4: 40 MB verified");
    expect(progressLine(at(0, { rate: 0 }))).toBe("movie.mp4: 0% 0 B / 40 MB  0 B/s  -- left");
    expect(progressBar(at(20 * MiB))).toBe(
      "movie.mp4 [############............] 50% 20 MB / 40 MB  4 MB/s  5s left",
    );
    expect(progressBar(at(20 * MiB), 30)).toHaveLength(29);
  });

  it("prints a plain line per file at most once per interval, plus the end, when not a terminal", () => {
    let now = 0;
    const { writes, stream } = fakeStream(false);
    const view = createProgressView({ stream, intervalMs: 1000, now: () => now });
    view.update(at(1 * MiB));
    now = 400;
    view.update(at(2 * MiB));
    now = 1100;
    view.update(at(3 * MiB));
    now = 1200;
    view.update(at(40 * MiB, { phase: "done" }));
    view.finish();
    expect(writes).toEqual([
      "movie.mp4: 2% 1 MB / 40 MB  4 MB/s  10s left\n",
      "movie.mp4: 7% 3 MB / 40 MB  4 MB/s  9s left\n",
      "movie.mp4: 40 MB verified\n",
    ]);
  });

  it("redraws bars in place on a terminal, one line per file", () => {
    let now = 0;
    const { writes, stream } = fakeStream(true);
    const view = createProgressView({ stream, now: () => now });
    view.update(at(10 * MiB));
    view.update(at(0, { file: "b.png", index: 1, total: 100, phase: "hashing", hashed: 50 }));
    now = 150;
    view.update(at(20 * MiB));
    view.finish();
    expect(writes[0]).toBe(
      "\r\x1b[2Kmovie.mp4 [######..................] 25% 10 MB / 40 MB  4 MB/s  8s left\n",
    );
    expect(writes[1]).toBe(
      "\x1b[1A\r\x1b[2Kmovie.mp4 [############............] 50% 20 MB / 40 MB  4 MB/s  5s left\n" +
        "\r\x1b[2Kb.png [############............] hashing 50%\n",
    );
    expect(writes[2]?.startsWith("\x1b[2A")).toBe(true);
  });
});
