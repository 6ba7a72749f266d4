import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { Credentials } from "../../src/core/sigv4/canonical.js";
import { vectorsDir } from "../support/shared.js";
import { parseRawRequest, type RawRequest } from "./raw-http.js";

/** aws-c-auth's context.json: the signing inputs of one case. */
export interface SigningContext {
  credentials: { access_key_id: string; secret_access_key: string; token?: string };
  expiration_in_seconds: number;
  normalize: boolean;
  region: string;
  service: string;
  sign_body: boolean;
  timestamp: string;
  /** The token is attached after signing (post-sts-header-after): it is not part of the signature. */
  omit_session_token?: boolean;
}

export interface AwsCAuthCase {
  name: string;
  context: SigningContext;
  request: RawRequest;
  /** One of the case's expected-output files, byte for byte. */
  read(file: string): string;
}

export const awsCAuthDir = (): string => join(vectorsDir(), "aws-signing-test-suite", "v4");
export const botocoreDir = (): string => join(vectorsDir(), "aws4_testsuite");

const isDir = (path: string): boolean => statSync(path).isDirectory();

/** Case folder names of aws-c-auth's v4 suite, sorted. */
export function awsCAuthCaseNames(): string[] {
  const dir = awsCAuthDir();
  return readdirSync(dir)
    .filter((name) => isDir(join(dir, name)))
    .sort();
}

export function loadAwsCAuthCase(name: string): AwsCAuthCase {
  const dir = join(awsCAuthDir(), name);
  const read = (file: string) => readFileSync(join(dir, file), "utf8");
  return {
    name,
    context: JSON.parse(read("context.json")) as SigningContext,
    request: parseRawRequest(read("request.txt")),
    read,
  };
}

/** The credentials a context signs with: the token only when it is part of the signature. */
export function contextCredentials(ctx: SigningContext): Credentials {
  const { access_key_id, secret_access_key, token } = ctx.credentials;
  const credentials: Credentials = { accessKeyId: access_key_id, secretAccessKey: secret_access_key };
  if (token !== undefined && !ctx.omit_session_token) credentials.sessionToken = token;
  return credentials;
}

export interface BotocoreCase {
  /** Path of the case folder inside aws4_testsuite/, e.g. "normalize-path/get-slash". */
  name: string;
  request: RawRequest;
  /** The .creq, .sts, .authz or .sreq file of the case. */
  read(ext: "creq" | "sts" | "authz" | "sreq"): string;
}

/** Every folder of botocore's aws4_testsuite holding a NAME/NAME.req case, nested ones included. */
export function botocoreCaseNames(): string[] {
  const root = botocoreDir();
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (!isDir(path)) continue;
      if (readdirSync(path).includes(`${entry}.req`)) found.push(relative(root, path));
      walk(path);
    }
  };
  walk(root);
  return found.sort();
}

export function loadBotocoreCase(name: string): BotocoreCase {
  const base = join(botocoreDir(), name, name.split("/").at(-1)!);
  const read = (ext: string) => readFileSync(`${base}.${ext}`, "utf8");
  return { name, request: parseRawRequest(read("req")), read };
}

/** s3-docs-examples.json, typed as far as the tests read it. */
export interface S3DocExamples {
  credentials: Credentials;
  [signingKeyField: `signingKey_${string}_hex`]: string;
  presignedGet: {
    url: string;
    amzDate: string;
    region: string;
    expires: number;
    canonicalRequest: string;
    stringToSign: string;
    signature: string;
  };
  headerAuth: {
    amzDate: string;
    host: string;
    cases: Array<{
      name: string;
      canonicalRequest: string;
      canonicalRequestSha256?: string;
      signature: string;
    }>;
  };
  chunkedUpload: {
    request: string;
    seedCanonicalRequest: string;
    seedSignature: string;
    chunkSignatures: string[];
    encodedContentLength: number;
    trailer: { canonicalTrailers: string; signature: string };
  };
  postPolicy: { note: string; policyBase64: string; signature: string };
  multipartEtag: { partEtags: string[]; objectEtag: string };
}

export function loadS3DocExamples(): S3DocExamples {
  return JSON.parse(readFileSync(join(vectorsDir(), "s3-docs-examples.json"), "utf8")) as S3DocExamples;
}

/** "20130524T000000Z" as a Date. */
export function amzDateToDate(amzDate: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) throw new Error(`not an X-Amz-Date: ${amzDate}`);
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
}
