import fc from "fast-check";
import { createPostPolicy, type PostPolicy } from "../../src/core/sigv4/post-policy.js";
import { type VerifyPostResult, verifyPostPolicy } from "../../src/core/sigv4/verify-post.js";
import {
  credentialsArb,
  dateArb,
  dnsBucketArb,
  endpointArb,
  expiresArb,
  keyArb,
  metaNameArb,
  metaValueArb,
  regionArb,
  type TestCredentials,
} from "../support/sigv4-arbitraries.js";
import { lookupFor } from "./presign-fixture.js";

export interface PostSpec {
  endpoint: string;
  bucket: string;
  /** An exact key, or a prefix the browser completes with ${filename}. */
  key: { exact: string } | { prefix: string };
  fileName: string;
  fields: Array<[string, string]>;
  range: [number, number] | undefined;
  region: string;
  credentials: TestCredentials;
  expiresIn: number;
  date: Date;
  nowAt: number;
  /** Send field names in upper case: S3 matches them case-insensitively. */
  shout: boolean;
}

const fieldsArb = fc
  .record(
    {
      "Content-Type": fc.constantFrom("image/png", "text/plain; charset=utf-8"),
      success_action_status: fc.constantFrom("200", "201", "204"),
      "Cache-Control": fc.constantFrom("no-cache", "max-age=60"),
    },
    { requiredKeys: [] },
  )
  .chain((fixed) =>
    fc
      .uniqueArray(fc.tuple(metaNameArb, metaValueArb), { selector: ([n]) => n, maxLength: 3 })
      .map((meta) => [
        ...Object.entries(fixed),
        ...meta.map(([n, v]): [string, string] => [`x-amz-meta-${n}`, v]),
      ]),
  );

export const postSpecArb: fc.Arbitrary<PostSpec> = fc.record({
  endpoint: endpointArb,
  bucket: dnsBucketArb,
  key: fc.oneof(
    keyArb.map((exact) => ({ exact })),
    fc.oneof(fc.constant(""), keyArb).map((prefix) => ({ prefix })),
  ),
  fileName: fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }),
  fields: fieldsArb,
  range: fc.option(
    fc.tuple(fc.nat({ max: 1000 }), fc.nat({ max: 10 ** 9 })).map(([a, b]): [number, number] => [a, a + b]),
    { nil: undefined },
  ),
  region: regionArb,
  credentials: credentialsArb,
  expiresIn: expiresArb,
  date: dateArb,
  nowAt: fc.double({ min: 0, max: 1, noNaN: true }),
  shout: fc.boolean(),
});

export interface Posted {
  spec: PostSpec;
  policy: PostPolicy;
  /** The form fields a browser sends before the file, in the order given. */
  fields: Array<[string, string]>;
  now: Date;
  expectedKey: string;
}

export async function createPost(spec: PostSpec): Promise<Posted> {
  const policy = await createPostPolicy({
    endpoint: spec.endpoint,
    bucket: spec.bucket,
    ...("exact" in spec.key ? { key: spec.key.exact } : { keyPrefix: spec.key.prefix }),
    region: spec.region,
    credentials: spec.credentials,
    expiresIn: spec.expiresIn,
    date: spec.date,
    fields: Object.fromEntries(spec.fields),
    ...(spec.range ? { conditions: [["content-length-range", spec.range[0], spec.range[1]]] } : {}),
  });
  const fields = Object.entries(policy.fields).map(([n, v]): [string, string] => [
    spec.shout ? n.toUpperCase() : n,
    v,
  ]);
  const now = new Date(spec.date.getTime() + Math.floor(spec.nowAt * spec.expiresIn * 1000));
  const expectedKey = "exact" in spec.key ? spec.key.exact : `${spec.key.prefix}${spec.fileName}`;
  return { spec, policy, fields, now, expectedKey };
}

export function verifyPost(
  p: Posted,
  change: { fields?: Array<[string, string]>; bucket?: string; now?: Date; lookup?: PostLookup } = {},
): Promise<VerifyPostResult> {
  return verifyPostPolicy(
    { fields: change.fields ?? p.fields, bucket: change.bucket ?? p.spec.bucket, fileName: p.spec.fileName },
    {
      region: p.spec.region,
      lookupSecret: change.lookup ?? lookupFor(p.spec.credentials),
      now: change.now ?? p.now,
    },
  );
}
type PostLookup = Parameters<typeof verifyPostPolicy>[1]["lookupSecret"];

/** The fields with one (matched case-insensitively) replaced, removed (undefined), or added at the end. */
export function setField(fields: Array<[string, string]>, name: string, value: string | undefined) {
  const i = fields.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
  if (value === undefined) return fields.filter((_, j) => j !== i);
  if (i === -1) return [...fields, [name, value]] as Array<[string, string]>;
  return fields.map(([n, v], j): [string, string] => [n, j === i ? value : v]);
}
