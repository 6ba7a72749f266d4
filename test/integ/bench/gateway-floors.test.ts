import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { measureReservationFloor } from "../../../bench/gateway-reservation-floor.js";
import { measureWorkFloor } from "../../../bench/gateway-work-floor.js";

describe("bench:gateway's floors", () => {
  it("measures CPU per reservation at the batch it is given, and leaves no file behind", async () => {
    const parent = await mkdtemp(join(tmpdir(), "upgate-floor-test-"));
    try {
      const floor = await measureReservationFloor(parent, 4, 200, 400);
      expect(floor.perCommit).toBe(4);
      expect(floor.cpuMicrosPerReservation).toBeGreaterThan(0);
      expect(Number.isFinite(floor.cpuMicrosPerReservation)).toBe(true);
      expect(await readdir(parent)).toEqual([]);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it("measures the answer's own work per request", async () => {
    const micros = await measureWorkFloor(200, 20);
    expect(micros).toBeGreaterThan(0);
    expect(Number.isFinite(micros)).toBe(true);
  });
});
