/**
 * Anonymous quota sharing: on a public route every anonymous caller used to count against one
 * quota, so one address filling it blocked every other anonymous caller (for good, with a total
 * period). Each address now has its own quota and rate bucket (X-Forwarded-For's first address
 * behind a trusted proxy, the socket's otherwise); a route-wide cap is its own setting.
 */
import type { AdversarialCase } from "../support/case.js";
import { runGatewayCatalogue } from "../support/gateway-catalogue.js";
import { type FileDecl, ok, refusal } from "../support/gateway-steps.js";
import type { GatewayWorld } from "../support/gateway-world.js";
import { PNG_1X1 } from "../support/samples.js";

type Case = AdversarialCase<GatewayWorld>;
const PNG: FileDecl = { name: "a.png", type: "image/png", size: PNG_1X1.length };

/** An anonymous create, from `forwardedFor` (via the trusted proxy) or from the socket address `clientIp`. */
function anonymousCreate(w: GatewayWorld, route: string, from: { forwardedFor?: string; clientIp?: string }) {
  return w.api("/v1/uploads", {
    body: { route, files: [PNG] },
    ...(from.forwardedFor !== undefined && {
      headers: { "x-forwarded-for": `${from.forwardedFor}, 10.0.0.1` },
    }),
    ...(from.clientIp !== undefined && { clientIp: from.clientIp }),
  });
}

async function fill(
  w: GatewayWorld,
  route: string,
  from: { forwardedFor?: string; clientIp?: string },
  n: number,
) {
  for (let i = 0; i < n; i++) {
    const res = await anonymousCreate(w, route, from);
    if (res.status !== 201) throw new Error(`setup: create answered ${res.status}`);
  }
}

const cases: Case[] = [
  {
    family: "anonymous quota sharing",
    name: "one forwarded address fills a public route's quota",
    attack:
      "address A (X-Forwarded-For, trusted proxy) makes 3 uploads on a { files: 3 } public route; address B must still get its own (a 201 is the right answer: it changes the state)",
    expect: ok(201),
    allowStateChange: true,
    setup: (w) => fill(w, "open", { forwardedFor: "203.0.113.1" }, 3),
    run: async (w) => refusal(await anonymousCreate(w, "open", { forwardedFor: "203.0.113.2" })),
  },
  {
    family: "anonymous quota sharing",
    name: "one socket address fills a total quota for good",
    attack:
      "address C fills a { files: 2, period: total } public route; address D must still get its own upload (201, a state change)",
    expect: ok(201),
    allowStateChange: true,
    setup: (w) => fill(w, "forever", { clientIp: "198.51.100.3" }, 2),
    run: async (w) => refusal(await anonymousCreate(w, "forever", { clientIp: "198.51.100.4" })),
  },
];

runGatewayCatalogue(
  "gateway anonymous quota sharing",
  {
    trustProxy: true,
    routes: {
      open: { types: ["image/png"], maxSize: "1MB", public: true, quota: { files: 3 } },
      forever: { types: ["image/png"], maxSize: "1MB", public: true, quota: { files: 2, period: "total" } },
    },
  },
  cases,
);

const capCases: Case[] = [
  {
    family: "anonymous quota sharing",
    name: "many addresses past the route-wide cap",
    attack: "4 addresses each within their own quota, on a route whose routeQuota allows 3 files in all",
    expect: { status: 429, code: "QUOTA_EXCEEDED" },
    setup: async (w) => {
      for (const ip of ["203.0.113.11", "203.0.113.12", "203.0.113.13"])
        await fill(w, "capped", { clientIp: ip }, 1);
    },
    run: async (w) => refusal(await anonymousCreate(w, "capped", { clientIp: "203.0.113.14" })),
  },
];

runGatewayCatalogue(
  "gateway anonymous route cap",
  {
    routes: {
      capped: {
        types: ["image/png"],
        maxSize: "1MB",
        public: true,
        quota: { files: 2 },
        routeQuota: { files: 3 },
      },
    },
  },
  capCases,
);
