import { describe, expect, it } from "vitest";
import type { PartsRequest, PartsResponse } from "../../core/protocol.js";
import { Control } from "../control.js";
import type { FlowContext } from "./context.js";
import { PartSigner, SIGN_WINDOW } from "./part-signer.js";
import type { MultipartPlan } from "./plan.js";

const EXPIRY = () => new Date(Date.now() + 600_000).toISOString();

/** A signer over a scripted gateway that records every parts request. */
function rig(parts: number, hashed: number, expiresAt = EXPIRY) {
  const requests: PartsRequest[] = [];
  const gateway = {
    async parts(_id: string, body: PartsRequest): Promise<PartsResponse> {
      requests.push(body);
      return {
        parts: body.partNumbers.map((n) => ({
          partNumber: n,
          size: 1,
          url: `https://s/${n}?sha=${body.sha256?.[String(n)]}&i=${requests.length}`,
          headers: {},
        })),
        uploaded: [],
        expiresAt: expiresAt(),
      };
    },
  };
  const ctx = { gateway, control: new Control() } as unknown as FlowContext;
  const plan = { id: "u1", algorithm: "sha256" } as MultipartPlan;
  const sha = (n: number) => (n <= hashed ? `sha-${n}` : undefined);
  const all = Array.from({ length: parts }, (_, i) => i + 1);
  const started = new Set<number>();
  const signer = new PartSigner(ctx, plan, sha, () => all.filter((n) => !started.has(n)));
  return { signer, requests, started };
}

describe("PartSigner", () => {
  it("signs a window of hashed parts per request, each with its own SHA-256", async () => {
    const { signer, requests, started } = rig(40, 40);
    for (let n = 1; n <= 20; n++) {
      started.add(n);
      const signed = await signer.get(n, `sha-${n}`);
      expect(signed.instruction.url).toContain(`sha=sha-${n}&`);
    }
    expect(requests.map((r) => r.partNumbers)).toEqual([
      Array.from({ length: SIGN_WINDOW }, (_, i) => i + 1),
      Array.from({ length: SIGN_WINDOW }, (_, i) => i + 1 + SIGN_WINDOW),
    ]);
    for (const r of requests) for (const n of r.partNumbers) expect(r.sha256?.[String(n)]).toBe(`sha-${n}`);
  });

  it("never signs a part whose hash is not known yet", async () => {
    const { signer, requests } = rig(10, 3);
    await signer.get(1, "sha-1");
    expect(requests[0]!.partNumbers).toEqual([1, 2, 3]);
    await signer.get(5, "sha-5");
    expect(requests[1]!.partNumbers).toEqual([5]);
  });

  it("shares one request among concurrent asks, and re-signs on demand or near expiry", async () => {
    const { signer, requests } = rig(4, 4);
    const [a, b] = await Promise.all([signer.get(1, "sha-1"), signer.get(2, "sha-2")]);
    expect(requests).toHaveLength(1);
    expect(a.instruction.url).toContain("i=1");
    expect(b.instruction.url).toContain("i=1");
    const fresh = await signer.get(2, "sha-2", true);
    expect(requests).toHaveLength(2);
    expect(fresh.instruction.url).toContain("i=2");

    const soon = rig(2, 2, () => new Date(Date.now() + 1_000).toISOString());
    await soon.signer.get(1, "sha-1");
    await soon.signer.get(1, "sha-1");
    expect(soon.requests).toHaveLength(2);
  });

  it("forgets a failed request, so the part's retry asks again", async () => {
    const { signer, requests } = rig(2, 2);
    const failing = signer as unknown as { ctx: { gateway: { parts: unknown } } };
    const real = failing.ctx.gateway.parts;
    failing.ctx.gateway.parts = async () => {
      throw new Error("offline");
    };
    await expect(signer.get(1, "sha-1")).rejects.toThrow("offline");
    failing.ctx.gateway.parts = real;
    await signer.get(1, "sha-1");
    expect(requests).toHaveLength(1);
  });
});
