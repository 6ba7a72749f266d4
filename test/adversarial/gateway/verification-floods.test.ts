/**
 * Verification floods: many completes of one upload at once must cost storage one verification
 * (every caller gets its answer), and completes that check storage are rate-limited like creates.
 * The cost is measured against one complete of an identical upload, counted at the gateway's
 * storage client, so the cases hold on every backend whatever a verification reads.
 */
import type { MultipartInstruction } from "../../../src/core/protocol.js";
import type { Gateway } from "../../../src/server/gateway.js";
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
  MULTIPART_FILE,
  meter,
  multipartReady,
  NOT_A_PNG,
  PNG_FILE,
  putReady,
  spent,
} from "../support/completion-steps.js";
import { runGatewayCatalogue } from "../support/gateway-catalogue.js";
import { putParts } from "../support/gateway-steps.js";
import type { GatewayWorld } from "../support/gateway-world.js";
import { PNG_1X1 } from "../support/samples.js";

type Case = AdversarialCase<GatewayWorld>;
type Ready = { id: string; body: unknown };

interface Flood {
  upload: Ready;
  token: string;
  count(): StorageCalls;
  /** What one complete of an identical upload cost. */
  one: StorageCalls;
  /** What the flood cost (set by run). */
  flood?: StorageCalls;
}

const meters = new WeakMap<Gateway, () => StorageCalls>();
function meterOf(gateway: Gateway): () => StorageCalls {
  let count = meters.get(gateway);
  if (!count) {
    count = meter([gateway]);
    meters.set(gateway, count);
  }
  return count;
}

/** Two identical uploads from `make`: the first completed alone (its cost measured), the second flooded. */
async function prepareFlood(
  w: GatewayWorld,
  user: string,
  make: (api: Api, token: string) => Promise<Ready>,
) {
  const token = await w.token(user);
  const count = meterOf(w.gateway);
  const baseline = await make(w.api, token);
  const upload = await make(w.api, token);
  const before = count();
  await (await complete(w.api, token, baseline.id, baseline.body)).arrayBuffer();
  return { upload, token, count, one: spent(before, count()) } satisfies Flood;
}

async function flood(w: GatewayWorld, prepared: unknown): Promise<Refusal> {
  const f = prepared as Flood;
  const before = f.count();
  const got = await completeFlood([w.api], f.token, f.upload);
  f.flood = spent(before, f.count());
  return got;
}

const verifyOnce = async (_w: GatewayWorld, prepared: unknown) => {
  const f = prepared as Flood;
  expectOneVerification(f.flood!, f.one);
};

/** A multipart upload with its last part missing. */
async function incompleteMultipart(api: Api, token: string): Promise<Ready> {
  const [mp] = await createMany<MultipartInstruction>(api, token, "mp", [MULTIPART_FILE]);
  return {
    id: mp!.id,
    body: { parts: await putParts(mp!, new Uint8Array(MULTIPART_FILE.size).fill(7), { api, token }, [1]) },
  };
}

const RATE = { status: 429, code: "RATE_LIMITED" };

const cases: Case[] = [
  {
    family: "verification floods",
    name: "20 parallel completes on one multipart upload",
    attack:
      "20 completes at once of one 6 MiB multipart upload (the upload is then verified: state changes); storage must see one verification",
    expect: { status: 200, code: "" },
    allowStateChange: true,
    setup: (w) => prepareFlood(w, "flood-mp", multipartReady),
    run: flood,
    verify: verifyOnce,
  },
  {
    family: "verification floods",
    name: "20 parallel completes on one PUT upload",
    attack:
      "20 completes at once of one PNG upload (then verified: state changes); storage must see one verification",
    expect: { status: 200, code: "" },
    allowStateChange: true,
    setup: (w) => prepareFlood(w, "flood-put", (api, token) => putReady(api, token, PNG_1X1)),
    run: flood,
    verify: verifyOnce,
  },
  {
    family: "verification floods",
    name: "20 parallel completes of a refused upload",
    attack:
      "20 completes at once of an upload whose bytes are not the declared PNG (then rejected and removed: state changes); one verification, one identical 422 for all",
    expect: { status: 422, code: "VERIFY_CONTENT_MISMATCH" },
    allowStateChange: true,
    setup: (w) => prepareFlood(w, "flood-bad", (api, token) => putReady(api, token, NOT_A_PNG)),
    run: flood,
    verify: verifyOnce,
  },
  {
    family: "verification floods",
    name: "20 parallel completes of an incomplete multipart upload",
    attack: "20 completes at once of a multipart upload missing a part; storage must be asked once",
    expect: { status: 409, code: "UPLOAD_NOT_UPLOADED" },
    setup: (w) => prepareFlood(w, "flood-incomplete", incompleteMultipart),
    run: flood,
    verify: verifyOnce,
  },
  {
    family: "verification floods",
    name: "completes past the complete rate limit",
    attack:
      "10 completes in a row of a never-uploaded upload on a route of 1 create per minute × 2 files: the third on must be 429 with Retry-After",
    expect: RATE,
    async setup(w) {
      const token = await w.token("flood-rate");
      const [upload] = await createMany<{ id: string }>(w.api, token, "limited", [PNG_FILE, PNG_FILE]);
      return { token, id: upload!.id };
    },
    async run(w, prepared) {
      const { token, id } = prepared as { token: string; id: string };
      return completesInARow([w.api], token, id, 10, 2, RATE);
    },
  },
];

runGatewayCatalogue("gateway verification floods", { routes: COMPLETION_ROUTES }, cases);
