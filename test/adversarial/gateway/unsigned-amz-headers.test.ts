/**
 * Unsigned x-amz-* headers: a signed PUT URL does not sign an ACL, grants, user metadata beyond the
 * gateway's, tags or a storage class, and whoever holds the URL may add them. AWS and the embedded
 * store refuse any unsigned x-amz-* header on a presigned request; Ceph RGW 16 does not: it applies
 * an added `x-amz-acl: public-read` or `x-amz-grant-read` (the object becomes readable by anyone
 * straight from the bucket, past the gateway's downloads) and keeps an added `x-amz-meta-*` or
 * `x-amz-tagging`. Each must end refused by storage (on RGW through storage.acl "private", which the
 * RGW half runs with, as docs/production.md says: the URL signs x-amz-acl, so any other ACL is a
 * signature mismatch and RGW takes no grant beside a canned ACL), or rejected at complete (422,
 * object removed); the object is never readable without credentials and never served.
 */

import type { PutInstruction } from "../../../src/core/protocol.js";
import { getObject } from "../../../src/core/s3/requests.js";
import { requestUrl } from "../../../src/core/s3/requests-url.js";
import type { AdversarialCase, Refusal } from "../support/case.js";
import { runGatewayCatalogue } from "../support/gateway-catalogue.js";
import { completeRequest, createOne, put, refusal, s3Refusal } from "../support/gateway-steps.js";
import type { GatewayWorld } from "../support/gateway-world.js";
import { PNG_1X1 } from "../support/samples.js";

type Case = AdversarialCase<GatewayWorld>;
type Prepared = {
  instruction: PutInstruction;
  answeredBy?: "storage" | "gateway";
  /** The status of a GET without credentials right after storage took the PUT. */
  anonymousRead?: number;
};

const ALL_USERS = 'uri="http://acs.amazonaws.com/groups/global/AllUsers"';

/** A GET of the object straight from the bucket, without credentials. */
async function anonymousGet(w: GatewayWorld, key: string): Promise<number> {
  const { endpoint, bucket, forcePathStyle } = w.gateway.storage.config;
  const res = await fetch(requestUrl({ endpoint, forcePathStyle }, getObject(bucket, key)));
  await res.body?.cancel();
  return res.status;
}

/**
 * Refused by storage (a 4xx S3 error: the object never landed), or rejected at complete with
 * `rejectedAs`. Without one, only storage can refuse: an ACL is not in what HEAD returns, so the
 * gateway could not tell, and the object would have been public from the PUT on.
 */
const refusedOrRejectedAs =
  (rejectedAs: string | undefined) =>
  (got: Refusal): boolean => {
    if (got.status === 422) return got.code === rejectedAs;
    return got.status >= 400 && got.status < 500 && got.code !== "" && !/^[A-Z_]+$/.test(got.code);
  };

function amzCase(name: string, attack: string, header: Record<string, string>, rejectedAs?: string): Case {
  return {
    family: "unsigned headers",
    name,
    attack: rejectedAs
      ? `${attack} (if storage takes it, the row moves to rejected and its object is removed)`
      : `${attack} (storage must refuse it)`,
    expect: refusedOrRejectedAs(rejectedAs),
    allowStateChange: true,
    setup: async (w) => ({
      instruction: await createOne(w, await w.token("uploader"), "images", {
        name: "a.png",
        type: "image/png",
        size: PNG_1X1.length,
      }),
    }),
    async run(w, p) {
      const prepared = p as Prepared;
      const { instruction } = prepared;
      const stored = await put(instruction, PNG_1X1, { ...instruction.headers, ...header });
      if (stored.status !== 200) {
        prepared.answeredBy = "storage";
        return s3Refusal(stored);
      }
      prepared.answeredBy = "gateway";
      prepared.anonymousRead = await anonymousGet(w, instruction.key);
      return refusal(await completeRequest(w, await w.token("uploader"), instruction.id));
    },
    async verify(w, p) {
      const { instruction, answeredBy, anonymousRead } = p as Prepared;
      if (anonymousRead !== undefined && anonymousRead < 300) {
        throw new Error(`the stored object was readable without credentials (GET answered ${anonymousRead})`);
      }
      const token = await w.token("uploader");
      const download = await w.api(`/v1/files/${instruction.id}`, { token });
      if (download.status === 302) throw new Error("the upload is served");
      const row = w.row(instruction.id);
      const expected = answeredBy === "storage" ? "pending" : "rejected";
      if (row?.status !== expected) throw new Error(`the row is ${row?.status}, expected ${expected}`);
      if ((await w.objects()).some((o) => o.key === instruction.key))
        throw new Error("the object is still in the bucket");
      const anonymousAfter = await anonymousGet(w, instruction.key);
      if (anonymousAfter < 300) throw new Error(`a GET without credentials answered ${anonymousAfter}`);
    },
  };
}

const cases: Case[] = [
  amzCase(
    "x-amz-acl public-read",
    "a PUT with an added x-amz-acl: public-read (Ceph RGW applies it: anyone could GET the object from the bucket)",
    { "x-amz-acl": "public-read" },
  ),
  amzCase("x-amz-acl public-read-write", "a PUT with an added x-amz-acl: public-read-write", {
    "x-amz-acl": "public-read-write",
  }),
  amzCase(
    "x-amz-grant-read to AllUsers",
    `a PUT with an added x-amz-grant-read: ${ALL_USERS} (Ceph RGW applies it without a canned ACL)`,
    { "x-amz-grant-read": ALL_USERS },
  ),
  amzCase(
    "x-amz-grant-full-control to AllUsers",
    `a PUT with an added x-amz-grant-full-control: ${ALL_USERS}`,
    { "x-amz-grant-full-control": ALL_USERS },
  ),
  amzCase(
    "x-amz-meta-evil",
    "a PUT with an added x-amz-meta-evil: 1 (Ceph RGW keeps it as user metadata beside the gateway's)",
    { "x-amz-meta-evil": "1" },
    "VERIFY_METADATA_MISMATCH",
  ),
  amzCase(
    "x-amz-meta-* naming a route metadata field",
    "a PUT with an added x-amz-meta-album: forged, a name a route's metadata function might set but did not",
    { "x-amz-meta-album": "forged" },
    "VERIFY_METADATA_MISMATCH",
  ),
  amzCase(
    "x-amz-tagging",
    "a PUT with an added x-amz-tagging: owner=attacker (Ceph RGW keeps the tag; HEAD shows x-amz-tagging-count)",
    { "x-amz-tagging": "owner=attacker" },
    "VERIFY_HEADER_MISMATCH",
  ),
  amzCase(
    "x-amz-storage-class STANDARD_IA",
    "a PUT with an added x-amz-storage-class: STANDARD_IA (RGW refuses a class its zone has no placement for; where it has one, verification refuses any class but STANDARD)",
    { "x-amz-storage-class": "STANDARD_IA" },
    "VERIFY_HEADER_MISMATCH",
  ),
];

runGatewayCatalogue(
  "gateway unsigned x-amz headers",
  { routes: { images: { types: ["image/png"], maxSize: "1MB", strategy: "put" } } },
  cases,
);
