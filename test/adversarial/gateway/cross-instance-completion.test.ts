/**
 * Cross-instance completion races: completes of one upload spread over two gateway instances that
 * share a Postgres ledger and a bucket must cost storage one verification (the ledger's lease
 * decides who verifies), give every caller the same answer, and share one complete rate limit.
 */
import type { StorageCalls } from "../../support/storage-calls.js";
import type { AdversarialCase, Refusal } from "../support/case.js";
import {
  type Api,
  COMPLETION_ROUTES,
  complete,
  completeFlood,
  completesInARow,
  createMany,
  expectOneVerification,
  meter,
  multipartReady,
  NOT_A_PNG,
  PNG_FILE,
  putReady,
  spent,
} from "../support/completion-steps.js";
import { type GatewayPairWorld, runGatewayPairCatalogue } from "../support/gateway-pair-world.js";
import { PNG_1X1 } from "../support/samples.js";

type Case = AdversarialCase<GatewayPairWorld>;
type Ready = { id: string; body: unknown };

interface Race {
  upload: Ready;
  token: string;
  count(): StorageCalls;
  one: StorageCalls;
  race?: StorageCalls;
}

const meters = new WeakMap<GatewayPairWorld, () => StorageCalls>();
function meterOf(w: GatewayPairWorld): () => StorageCalls {
  let count = meters.get(w);
  if (!count) {
    count = meter(w.gateways);
    meters.set(w, count);
  }
  return count;
}

/** Two identical uploads: the first completed alone on one instance (its cost measured), the second raced. */
async function prepareRace(
  w: GatewayPairWorld,
  user: string,
  make: (api: Api, token: string) => Promise<Ready>,
) {
  const token = await w.token(user);
  const count = meterOf(w);
  const baseline = await make(w.apis[0], token);
  const upload = await make(w.apis[1], token);
  const before = count();
  await (await complete(w.apis[0], token, baseline.id, baseline.body)).arrayBuffer();
  return { upload, token, count, one: spent(before, count()) } satisfies Race;
}

async function race(w: GatewayPairWorld, prepared: unknown): Promise<Refusal> {
  const r = prepared as Race;
  const before = r.count();
  const got = await completeFlood(w.apis, r.token, r.upload);
  r.race = spent(before, r.count());
  return got;
}

const verifyOnce = async (_w: GatewayPairWorld, prepared: unknown) => {
  const r = prepared as Race;
  expectOneVerification(r.race!, r.one);
};

const RATE = { status: 429, code: "RATE_LIMITED" };

const cases: Case[] = [
  {
    family: "cross-instance completion races",
    name: "20 completes over two instances on one multipart upload",
    attack:
      "20 completes at once of one 6 MiB multipart upload, alternating between two instances (then verified: state changes); one verification in all",
    expect: { status: 200, code: "" },
    allowStateChange: true,
    setup: (w) => prepareRace(w, "race-mp", multipartReady),
    run: race,
    verify: verifyOnce,
  },
  {
    family: "cross-instance completion races",
    name: "20 completes over two instances on one PUT upload",
    attack:
      "20 completes at once of one PNG upload over two instances (then verified: state changes); one verification",
    expect: { status: 200, code: "" },
    allowStateChange: true,
    setup: (w) => prepareRace(w, "race-put", (api, token) => putReady(api, token, PNG_1X1)),
    run: race,
    verify: verifyOnce,
  },
  {
    family: "cross-instance completion races",
    name: "20 completes over two instances of a refused upload",
    attack:
      "20 completes at once over two instances of an upload that is not the declared PNG (then rejected: state changes); one verification, one identical 422",
    expect: { status: 422, code: "VERIFY_CONTENT_MISMATCH" },
    allowStateChange: true,
    setup: (w) => prepareRace(w, "race-bad", (api, token) => putReady(api, token, NOT_A_PNG)),
    run: race,
    verify: verifyOnce,
  },
  {
    family: "cross-instance completion races",
    name: "completes over two instances share one complete rate limit",
    attack:
      "10 completes in a row of a never-uploaded upload, alternating instances, on a route of 1 create per minute × 2 files: the third on must be 429",
    expect: RATE,
    async setup(w) {
      const token = await w.token("race-rate");
      const [upload] = await createMany<{ id: string }>(w.apis[0], token, "limited", [PNG_FILE, PNG_FILE]);
      return { token, id: upload!.id };
    },
    async run(w, prepared) {
      const { token, id } = prepared as { token: string; id: string };
      return completesInARow(w.apis, token, id, 10, 2, RATE);
    },
  },
];

runGatewayPairCatalogue("gateway cross-instance completion races", { routes: COMPLETION_ROUTES }, cases);
