import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StoreFixture, startStore } from "../support/store-fixture.js";
import { probeContext } from "./compat/context.js";
import {
  knownStores,
  PRODUCTION_DOC,
  RELIABILITY_DOC,
  rgwName,
  SECURITY_DOC,
  writeCompatibilityDocs,
} from "./compat/matrix.js";
import { type Measured, measure, PROBES } from "./compat/probes.js";
import { createRgwBucket, describeRgw } from "./env.js";

/** What the gateway cannot work without on any backend: these must work on RGW too. */
const REQUIRED = [
  "presigned-put",
  "signed-type",
  "signed-length",
  "metadata",
  "multipart",
  "range",
  "list-v2",
  "cors-config",
  "cors-preflight",
  "cors-expose-etag",
  "presigned-get-override",
  "copy",
];

let embedded: Measured[] = [];

describe("compatibility probes", { timeout: 120_000 }, () => {
  let store: StoreFixture;
  beforeAll(async () => {
    store = await startStore();
  });
  afterAll(async () => {
    await store?.close();
  });

  it("the embedded store has every capability probed (it is the reference)", async () => {
    embedded = await measure(
      probeContext({
        endpoint: store.url,
        region: store.region,
        bucket: store.bucket,
        credentials: { ...store.credentials },
        forcePathStyle: true,
      }),
    );
    expect(embedded.map((m) => m.id)).toEqual(PROBES.map((p) => p.id));
    for (const m of embedded) expect(m.support, `${m.id}: ${m.detail}`).toBe("yes");
  });

  it("the documented stores name a source for every capability", () => {
    for (const s of knownStores()) {
      for (const probe of PROBES) {
        const cell = s.cells[probe.id];
        expect(cell, `${s.name}: ${probe.id}`).toBeDefined();
        expect(["yes", "no", "partial", "unknown"]).toContain(cell!.support);
        expect(cell!.source).toMatch(/^https:\/\//);
      }
      expect(Object.keys(s.cells).sort()).toEqual(PROBES.map((p) => p.id).sort());
    }
  });
});

describeRgw("compatibility matrix against Ceph RGW", (rgw) => {
  let measured: Measured[];
  beforeAll(async () => {
    measured = await measure(probeContext(await createRgwBucket(rgw, "compat")));
  }, 180_000);

  it("RGW has what the gateway cannot run without", () => {
    expect(measured.map((m) => m.id)).toEqual(PROBES.map((p) => p.id));
    for (const id of REQUIRED) {
      const m = measured.find((x) => x.id === id)!;
      // "partial" works, with a difference the table names (RGW reorders CORS rule values).
      expect(m.support, `${id}: ${m.detail}`).not.toBe("no");
    }
  });

  it("RGW 16 stores a body that does not match its signed x-amz-checksum-sha256 (the gap completion covers)", () => {
    const m = measured.find((x) => x.id === "checksum-sha256")!;
    expect(m.support).toBe("no");
    expect(m.detail).toMatch(/was stored/);
  });

  it("writes the matrix into docs/production.md and docs/reliability.md", () => {
    expect(embedded.length, "the embedded probes ran first").toBe(PROBES.length);
    const date = new Date().toISOString().slice(0, 10);
    writeCompatibilityDocs({ embedded, rgw: measured, rgwName: rgwName(), date });
    const production = readFileSync(PRODUCTION_DOC, "utf8");
    const section = production.slice(
      production.indexOf("<!-- generated:compatibility -->"),
      production.indexOf("<!-- /generated:compatibility -->"),
    );
    for (const probe of PROBES) expect(section).toContain(probe.capability);
    expect(section).toContain(`(measured ${date})`);
    for (const m of measured.filter((x) => x.support === "no"))
      expect(section).toContain(m.detail.split(":")[0]);
    const security = readFileSync(SECURITY_DOC, "utf8");
    expect(security).toContain("<!-- generated:enforcement -->");
    expect(security).toContain(`(measured ${date})`);
    const reliability = readFileSync(RELIABILITY_DOC, "utf8");
    expect(reliability).toContain("<!-- generated:rgw -->");
    expect(reliability).toContain("npm run test:rgw");
  });
});
