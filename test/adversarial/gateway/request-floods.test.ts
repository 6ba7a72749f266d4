/**
 * Request floods: the per-user and per-IP rate limits hold under bursts (429 with Retry-After), and
 * floods of refused requests leave memory and metric series bounded. Counts are fixed and small
 * enough to stay well under a few seconds.
 */
import { signToken } from "../../integ/gateway/support.js";
import type { AdversarialCase, Refusal } from "../support/case.js";
import { createOne, createRequest, type FileDecl } from "../support/gateway-steps.js";
import { type GatewayWorld, openGatewayWorld } from "../support/gateway-world.js";
import { runCatalogue } from "../support/runner.js";

type Case = AdversarialCase<GatewayWorld>;
const PNG: FileDecl = { name: "a.png", type: "image/png", size: 68 };
const RATE = { status: 429, code: "RATE_LIMITED" };
const MiB = 1024 * 1024;

/** The refusal every answer must share (a 429 also needs Retry-After >= 1), or the first that differs. */
async function uniform(responses: Response[], want: Refusal): Promise<Refusal> {
  for (const res of responses) {
    const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
    const got = { status: res.status, code: body.error?.code ?? "" };
    if (got.status !== want.status || got.code !== want.code) return got;
    if (res.status === 429 && !(Number(res.headers.get("retry-after")) >= 1))
      return { ...got, code: "NO_RETRY_AFTER" };
  }
  return want;
}

async function drain(
  w: GatewayWorld,
  route: string,
  user: string | undefined,
  count: number,
  clientIp?: string,
) {
  const token = user === undefined ? undefined : await w.token(user);
  for (let i = 0; i < count; i++) {
    const res = await w.api("/v1/uploads", {
      body: { route, files: [PNG] },
      ...(token && { token }),
      ...(clientIp && { clientIp }),
    });
    if (res.status !== 201) throw new Error(`setup: create ${i + 1} answered ${res.status}`);
  }
}

async function rssGrowthMb(flood: () => Promise<void>): Promise<number> {
  const before = process.memoryUsage().rss;
  await flood();
  return (process.memoryUsage().rss - before) / MiB;
}

const seriesCount = async (w: GatewayWorld) =>
  (await w.gateway.metrics.getMetricsAsJSON()).reduce((n, m) => n + m.values.length, 0);

let growth = 0;
const series: [number, number] = [0, 0];

const cases: Case[] = [
  {
    family: "request floods",
    name: "burst past the rate limit",
    attack: "60 creates at once after the user's 5-per-minute budget is spent",
    expect: RATE,
    setup: (w) => drain(w, "limited", "flooder", 5),
    async run(w) {
      const token = await w.token("flooder");
      return uniform(
        await Promise.all(Array.from({ length: 60 }, () => createRequest(w, token, "limited", [PNG]))),
        RATE,
      );
    },
  },
  {
    family: "request floods",
    name: "fresh tokens for the same user",
    attack: "30 creates, each with a freshly signed token for the same user, after the budget is spent",
    expect: RATE,
    setup: (w) => drain(w, "limited", "rotator", 5),
    async run(w) {
      const tokens = await Promise.all(
        Array.from({ length: 30 }, (_, i) => signToken("rotator", { expiresIn: `${300 + i}s` })),
      );
      return uniform(await Promise.all(tokens.map((t) => createRequest(w, t, "limited", [PNG]))), RATE);
    },
  },
  {
    family: "request floods",
    name: "anonymous with spoofed X-Forwarded-For",
    attack:
      "30 anonymous creates, each with another X-Forwarded-For, after the IP's budget is spent (no proxy is trusted)",
    expect: RATE,
    setup: (w) => drain(w, "open", undefined, 3),
    async run(w) {
      const sends = Array.from({ length: 30 }, (_, i) =>
        w.api("/v1/uploads", {
          body: { route: "open", files: [PNG] },
          headers: { "x-forwarded-for": `203.0.113.${i}` },
        }),
      );
      return uniform(await Promise.all(sends), RATE);
    },
  },
  {
    family: "request floods",
    name: "quota flood carries Retry-After",
    attack: "40 creates at once on a full quota",
    expect: { status: 429, code: "QUOTA_EXCEEDED" },
    setup: async (w) => void (await createOne(w, await w.token("hoarder"), "quota", PNG)),
    async run(w) {
      const token = await w.token("hoarder");
      return uniform(
        await Promise.all(Array.from({ length: 40 }, () => createRequest(w, token, "quota", [PNG]))),
        { status: 429, code: "QUOTA_EXCEEDED" },
      );
    },
  },
  {
    family: "request floods",
    name: "oversized bodies, memory bounded",
    attack: "400 creates with 1 MB bodies over a 64 KB limit, 40 at a time",
    expect: { status: 413, code: "PAYLOAD_TOO_LARGE" },
    async run(w) {
      const token = await w.token("bloater");
      const body = new Uint8Array(MiB).fill(0x20);
      let outcome: Refusal = { status: 413, code: "PAYLOAD_TOO_LARGE" };
      growth = await rssGrowthMb(async () => {
        for (let round = 0; round < 10; round++) {
          const responses = await Promise.all(
            Array.from({ length: 40 }, () =>
              w.api("/v1/uploads", { token, body, headers: { "content-type": "application/json" } }),
            ),
          );
          const got = await uniform(responses, outcome);
          if (got.code !== outcome.code) outcome = got;
        }
      });
      return outcome;
    },
    async verify() {
      if (growth > 150) throw new Error(`RSS grew ${growth.toFixed(0)} MB over 400 refused 1 MB bodies`);
    },
  },
  {
    family: "request floods",
    name: "1,200 distinct tokens, memory bounded",
    attack: "1,200 requests, each with a different valid token (more than the verified-token cache holds)",
    expect: { status: 200, code: "" },
    async run(w) {
      const tokens = await Promise.all(Array.from({ length: 1200 }, (_, i) => signToken(`user-${i}`)));
      let outcome: Refusal = { status: 200, code: "" };
      growth = await rssGrowthMb(async () => {
        for (let i = 0; i < tokens.length; i += 100) {
          const responses = await Promise.all(
            tokens.slice(i, i + 100).map((token) => w.api("/v1/uploads", { token })),
          );
          const got = await uniform(responses, outcome);
          if (got.status !== 200) outcome = got;
        }
      });
      return outcome;
    },
    async verify() {
      if (growth > 150) throw new Error(`RSS grew ${growth.toFixed(0)} MB over 1,200 tokens`);
    },
  },
  {
    family: "request floods",
    name: "random paths and methods, metrics bounded",
    attack: "2,000 requests with random paths and invented methods, minting metric label values",
    expect: { status: 404, code: "NOT_FOUND" },
    async run(w) {
      await w.api("/nope");
      await w.api("/nope", { method: "XWARM" });
      series[0] = await seriesCount(w);
      let outcome: Refusal = { status: 404, code: "NOT_FOUND" };
      for (let i = 0; i < 2000; i += 100) {
        const responses = await Promise.all(
          Array.from({ length: 100 }, (_, j) =>
            w.api(`/r${i + j}/${Math.random().toString(36).slice(2)}`, {
              method: j % 2 ? `X${i + j}` : "GET",
            }),
          ),
        );
        const got = await uniform(responses, outcome);
        if (got.status !== 404) outcome = got;
      }
      series[1] = await seriesCount(w);
      return outcome;
    },
    async verify() {
      if (series[1] - series[0] > 4) throw new Error(`metric series grew from ${series[0]} to ${series[1]}`);
    },
  },
  {
    family: "request floods",
    name: "forged tokens flood",
    attack: "300 creates with forged tokens at once",
    expect: { status: 401, code: "AUTH_INVALID" },
    async run(w) {
      const forged = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          signToken(`u${i}`, { secret: `forged-secret-${i}-0123456789abcdefghij` }),
        ),
      );
      return uniform(await Promise.all(forged.map((t) => createRequest(w, t, "limited", [PNG]))), {
        status: 401,
        code: "AUTH_INVALID",
      });
    },
  },
];

runCatalogue(
  "gateway request floods",
  () =>
    openGatewayWorld({
      limits: { maxBodyBytes: 64 * 1024 },
      routes: {
        limited: { types: ["image/png"], maxSize: "1MB", rateLimit: { perMinute: 5 } },
        open: { types: ["image/png"], maxSize: "1MB", public: true, rateLimit: { perMinute: 3 } },
        quota: { types: ["image/png"], maxSize: "1MB", quota: { files: 1 } },
      },
    }),
  cases,
);
