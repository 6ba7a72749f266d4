/**
 * Idempotent replays: a create repeated with its Idempotency-Key used to skip the rate limit and
 * onBeforeUpload, and an anonymous key was shared by every anonymous caller. A replay now takes a
 * rate token and runs the hook like any request; an anonymous key belongs to the caller's address.
 */
import type { AdversarialCase } from "../support/case.js";
import { runGatewayCatalogue } from "../support/gateway-catalogue.js";
import { type FileDecl, ok, refusal } from "../support/gateway-steps.js";
import type { GatewayWorld } from "../support/gateway-world.js";
import { PNG_1X1 } from "../support/samples.js";

type Case = AdversarialCase<GatewayWorld>;
const PNG: FileDecl = { name: "a.png", type: "image/png", size: PNG_1X1.length };
/** File names the route's onBeforeUpload refuses; a case adds one after its first request. */
const banned = new Set<string>();

function keyed(
  w: GatewayWorld,
  token: string | undefined,
  route: string,
  key: string,
  init: { clientIp?: string; file?: FileDecl } = {},
) {
  return w.api("/v1/uploads", {
    ...(token !== undefined && { token }),
    body: { route, files: [init.file ?? PNG] },
    headers: { "idempotency-key": key },
    ...(init.clientIp !== undefined && { clientIp: init.clientIp }),
  });
}

async function created(res: Response): Promise<string[]> {
  const body = (await res.json()) as { uploads?: Array<{ id: string }> };
  if (res.status !== 201 || !body.uploads) throw new Error(`setup: create answered ${res.status}`);
  return body.uploads.map((u) => u.id);
}

const cases: Case[] = [
  {
    family: "idempotent replays",
    name: "replay past the rate limit",
    attack: "a user spends a 2-a-minute rate limit, then repeats the first create with its Idempotency-Key",
    expect: { status: 429, code: "RATE_LIMITED" },
    async setup(w) {
      const token = await w.token("replayer");
      await created(await keyed(w, token, "limited", "replay-rate-1"));
      await created(await keyed(w, token, "limited", "replay-rate-2"));
      return token;
    },
    run: async (w, token) => refusal(await keyed(w, token as string, "limited", "replay-rate-1")),
  },
  {
    family: "idempotent replays",
    name: "replay after onBeforeUpload starts refusing",
    attack:
      "a create is accepted, the application's hook then refuses the file, and the create is replayed with its key",
    expect: { status: 403, code: "HOOK_REJECTED" },
    async setup(w) {
      const token = await w.token("hooked-user");
      // A name of its own per run: the catalogue runs once per storage, and the ban outlives a world.
      const file = { ...PNG, name: `later-banned-${banned.size}.png` };
      await created(await keyed(w, token, "hooked", "replay-hook", { file }));
      banned.add(file.name);
      return { token, file };
    },
    run: async (w, p) => {
      const { token, file } = p as { token: string; file: FileDecl };
      return refusal(await keyed(w, token, "hooked", "replay-hook", { file }));
    },
  },
  {
    family: "idempotent replays",
    name: "another address replays an anonymous key",
    attack:
      "address B sends anonymous address A's Idempotency-Key and request: it must get uploads of its own (201, a state change), never A's",
    expect: ok(201),
    allowStateChange: true,
    async setup(w) {
      const mine = await created(await keyed(w, undefined, "open", "anon-key", { clientIp: "192.0.2.21" }));
      return { mine, theirs: [] as string[] };
    },
    async run(w, p) {
      const res = await keyed(w, undefined, "open", "anon-key", { clientIp: "198.51.100.22" });
      const answer = await res
        .clone()
        .json()
        .catch(() => ({}));
      (p as { theirs: string[] }).theirs = (
        (answer as { uploads?: Array<{ id: string }> }).uploads ?? []
      ).map((u) => u.id);
      return refusal(res);
    },
    async verify(_w, p) {
      const { mine, theirs } = p as { mine: string[]; theirs: string[] };
      if (theirs.some((id) => mine.includes(id))) throw new Error("address B was given address A's uploads");
    },
  },
];

runGatewayCatalogue(
  "gateway idempotent replays",
  {
    routes: {
      limited: { types: ["image/png"], maxSize: "1MB", rateLimit: { perMinute: 2 } },
      hooked: {
        types: ["image/png"],
        maxSize: "1MB",
        onBeforeUpload: ({ file }) => (banned.has(file.name) ? "this file is no longer accepted" : undefined),
      },
      open: { types: ["image/png"], maxSize: "1MB", public: true },
    },
  },
  cases,
);
