/**
 * The config is described twice on purpose: types.ts for users (its doc comments are what editors
 * show) and the zod schema for validation. These type-level checks tie the two together; they are
 * compiled by the type check (`tsc -p tsconfig.json`), which fails when the two drift apart in
 * either direction: an option in one and not the other, optional in one and required in the other,
 * or a value type one accepts and the other does not. The runtime test below checks the same
 * pairs' option names, so a plain test run catches a missing option too.
 */
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import type { StorageCredentials } from "../s3/credentials/types.js";
import { authObject } from "./auth-schema.js";
import { routeSchema } from "./route-schema.js";
import { configSchema } from "./schema.js";
import type {
  CorsConfig,
  DevAuthConfig,
  JwtConfig,
  QuotaConfig,
  RateLimitConfig,
  RouteConfig,
  StorageConfig,
  UpgateConfig,
} from "./types.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Fails to compile unless T is true. */
type Expect<T extends true> = T;

/** Every key of every member of a union (keyof of a union gives only the shared ones). */
type AllKeys<T> = T extends unknown ? keyof T : never;
type ValueOf<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? T[K] : never) : never;
type RequiredKeys<T> = T extends unknown
  ? { [K in keyof T]-?: Record<string, never> extends Pick<T, K> ? never : K }[keyof T]
  : never;

/** The options and which of them are required agree. */
type SameOptions<Hand, Schema> =
  Equal<AllKeys<Hand>, AllKeys<Schema>> extends true
    ? Equal<RequiredKeys<Hand>, RequiredKeys<Schema>>
    : false;

/**
 * The value types agree for every option but `Wider`: options whose schema input is wider than
 * the documented type (`unknown`, from a union picked at runtime, or a record of anything), and
 * nested objects compared on their own. For those, whatever the type allows the schema must too.
 */
type SameValues<Hand, Schema, Wider extends PropertyKey = never> = {
  [K in AllKeys<Hand>]: K extends Wider
    ? NonNullable<ValueOf<Hand, K>> extends NonNullable<ValueOf<Schema, K>>
      ? true
      : false
    : Equal<NonNullable<ValueOf<Hand, K>>, NonNullable<ValueOf<Schema, K>>>;
}[AllKeys<Hand>] extends true
  ? true
  : false;

type Input = z.input<typeof configSchema>;
type RouteInput = z.input<typeof routeSchema>;
type AuthInput = z.input<typeof authObject>;
type AuthObjectConfig = Exclude<NonNullable<UpgateConfig["auth"]>, (...args: never[]) => unknown>;
type SweepConfig = Exclude<NonNullable<UpgateConfig["sweep"]>, false>;
type SweepInput = Exclude<NonNullable<Input["sweep"]>, false>;

// biome-ignore lint/correctness/noUnusedVariables: only the type check reads it, and fails on a drift
type ConfigTypesMatchTheSchema = [
  Expect<SameOptions<UpgateConfig, Input>>,
  // auth, ledger and logger are unions the schema picks a branch of at runtime (input unknown).
  Expect<SameValues<UpgateConfig, Input, "auth" | "ledger" | "logger" | "routes" | "storage">>,
  Expect<Equal<UpgateConfig["routes"], Record<string, RouteConfig>>>,
  Expect<Equal<Input["routes"], Record<string, RouteInput>>>,
  Expect<SameOptions<RouteConfig, RouteInput>>,
  Expect<SameValues<RouteConfig, RouteInput, "key">>,
  Expect<SameOptions<QuotaConfig, NonNullable<RouteInput["quota"]>>>,
  Expect<SameValues<QuotaConfig, NonNullable<RouteInput["quota"]>>>,
  Expect<SameOptions<RateLimitConfig, NonNullable<RouteInput["rateLimit"]>>>,
  Expect<SameValues<RateLimitConfig, NonNullable<RouteInput["rateLimit"]>>>,
  Expect<SameOptions<StorageConfig, Input["storage"]>>,
  Expect<SameValues<StorageConfig, Input["storage"], "credentials">>,
  Expect<
    Equal<AllKeys<StorageCredentials>, "accessKeyId" | "secretAccessKey" | "sessionToken" | "expiration">
  >,
  Expect<SameOptions<CorsConfig, NonNullable<Input["cors"]>>>,
  Expect<SameValues<CorsConfig, NonNullable<Input["cors"]>>>,
  Expect<SameOptions<SweepConfig, SweepInput>>,
  Expect<SameValues<SweepConfig, SweepInput>>,
  Expect<SameOptions<NonNullable<UpgateConfig["limits"]>, NonNullable<Input["limits"]>>>,
  Expect<SameValues<NonNullable<UpgateConfig["limits"]>, NonNullable<Input["limits"]>>>,
  Expect<SameOptions<AuthObjectConfig, AuthInput>>,
  // apiKeys is read entry by entry (a record of anything), so each problem names the key's position.
  Expect<SameValues<AuthObjectConfig, AuthInput, "jwt" | "apiKeys">>,
  // JwtConfig is a union (secret or JWKS) where the schema has one object and a refinement.
  Expect<Equal<AllKeys<JwtConfig>, AllKeys<NonNullable<AuthInput["jwt"]>>>>,
  Expect<SameValues<JwtConfig, NonNullable<AuthInput["jwt"]>>>,
  Expect<SameOptions<DevAuthConfig, NonNullable<AuthInput["dev"]>>>,
  Expect<SameValues<DevAuthConfig, NonNullable<AuthInput["dev"]>>>,
];

/** The option names of a zod object, for the runtime check. */
const names = (shape: Record<string, unknown>) => Object.keys(shape).sort();

describe("the config types and the schema", () => {
  // Option names only: the type check above does the rest, and this catches a drift in a test run.
  it("name the same options", () => {
    const top: Array<keyof UpgateConfig> = [
      "mode",
      "storage",
      "ledger",
      "auth",
      "routes",
      "cors",
      "basePath",
      "trustProxy",
      "quarantinePrefix",
      "sweep",
      "logger",
      "limits",
    ];
    expect(names(configSchema.shape)).toEqual([...top].sort());
    const route: Array<keyof RouteConfig> = [
      "label",
      "types",
      "maxSize",
      "minSize",
      "maxFiles",
      "expiresIn",
      "checksum",
      "strategy",
      "multipartThreshold",
      "partSize",
      "sniff",
      "inline",
      "public",
      "key",
      "metadata",
      "quota",
      "routeQuota",
      "rateLimit",
      "onBeforeUpload",
      "onUploadComplete",
      "webhook",
    ];
    expect(names(routeSchema.shape)).toEqual([...route].sort());
    const auth: Array<keyof AuthObjectConfig> = ["jwt", "apiKeys", "dev"];
    expect(names(authObject.shape)).toEqual([...auth].sort());
  });
});
