import { describe, expect, it } from "vitest";
import { formatBytes as cliBytes } from "../../src/cli/output.js";
import { formatSize } from "../../src/core/policy/sizes.js";
import { formatRate, formatBytes as pageBytes } from "../../web/src/format.js";

describe("one unit convention for sizes", () => {
  it("the CLI, the demo page and the gateway's messages write a size the same way (1024-based KB/MB/GB)", () => {
    for (const bytes of [0, 68, 1536, 12.5 * 1024, 10 * 1024 ** 2, 200 * 1024 ** 2 + 7, 3.9 * 1024 ** 3]) {
      const size = Math.round(bytes);
      expect(cliBytes(size), String(size)).toBe(formatSize(size));
      expect(pageBytes(size), String(size)).toBe(formatSize(size));
    }
    expect(cliBytes(50 * 1024 ** 2)).toBe("50 MB");
    expect(formatRate(4 * 1024 ** 2)).toBe("4 MB/s");
  });
});
