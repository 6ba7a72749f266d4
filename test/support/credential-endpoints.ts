/**
 * Loopback stand-ins for the endpoints the AWS SDK's default chain fetches role credentials from:
 * the ECS/EKS container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI) and EC2's
 * instance metadata service, version 2 (a token PUT, then the role's credentials;
 * AWS_EC2_METADATA_SERVICE_ENDPOINT). Both serve credentials the embedded store issued, rotated
 * every `rotateMs` and expiring `lifeSeconds` after, as AWS rotates them ahead of expiry.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isoSeconds } from "../../src/core/sigv4/time.js";
import type { ObjectStore, TemporaryCredentials } from "../../src/store/index.js";

export interface Rotation {
  /** The set to hand out now: a new one at the start of every `rotateMs` slot. */
  current(): TemporaryCredentials;
  /** Sets handed out so far. */
  readonly sets: number;
}

/**
 * A new set of the store's credentials every `rotateMs` (counted from the first request), each
 * expiring `lifeSeconds` after its slot began: a set is handed out until the next slot, then
 * still works for `lifeSeconds - rotateMs / 1000` seconds, as AWS rotates role credentials early.
 */
export function rotation(store: ObjectStore, options: { rotateMs: number; lifeSeconds: number }): Rotation {
  let origin: number | undefined;
  let held: { creds: TemporaryCredentials; slot: number } | undefined;
  let sets = 0;
  return {
    current() {
      const now = Date.now();
      origin ??= now;
      const slot = Math.floor((now - origin) / options.rotateMs);
      if (!held || slot > held.slot) {
        // The store counts from the current whole second: round up, so the set lasts its full life.
        const expires = origin + slot * options.rotateMs + options.lifeSeconds * 1000;
        const seconds = Math.max(1, Math.ceil((expires - Math.floor(now / 1000) * 1000) / 1000));
        held = { creds: store.issueCredentials(seconds), slot };
        sets += 1;
      }
      return held.creds;
    },
    get sets() {
      return sets;
    },
  };
}

export interface StandIn {
  url: string;
  /** Requests answered, by path. */
  readonly requests: string[];
  close(): Promise<void>;
}

async function listen(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  requests: string[],
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The container credentials endpoint: GET /credentials with `Authorization: <token>` (the value of
 * AWS_CONTAINER_AUTHORIZATION_TOKEN) answers { AccessKeyId, SecretAccessKey, Token, Expiration }.
 */
export async function startContainerEndpoint(
  creds: Rotation,
  authorization: string,
): Promise<StandIn & { fullUri: string }> {
  const requests: string[] = [];
  const { server, url } = await listen((req, res) => {
    if (req.method !== "GET" || req.url !== "/credentials")
      return sendJson(res, 404, { message: "Not Found" });
    if (req.headers.authorization !== authorization) return sendJson(res, 401, { message: "Unauthorized" });
    const c = creds.current();
    sendJson(res, 200, {
      RoleArn: "arn:aws:iam::000000000000:role/upgate-task",
      AccessKeyId: c.accessKeyId,
      SecretAccessKey: c.secretAccessKey,
      Token: c.sessionToken,
      Expiration: isoSeconds(c.expiration),
    });
  }, requests);
  return { url, fullUri: `${url}/credentials`, requests, close: () => close(server) };
}

const IMDS_ROLE = "upgate-instance-role";
const CREDENTIALS_PATH = "/latest/meta-data/iam/security-credentials/";

/**
 * IMDSv2: PUT /latest/api/token (x-aws-ec2-metadata-token-ttl-seconds) gives a session token that
 * every GET must carry (x-aws-ec2-metadata-token), else 401; the role's name, then its credentials.
 */
export async function startInstanceMetadata(creds: Rotation): Promise<StandIn> {
  const requests: string[] = [];
  const tokens = new Map<string, number>();
  const { server, url } = await listen((req, res) => {
    const text = (status: number, body: string) => {
      res.writeHead(status, { "content-type": "text/plain", "content-length": Buffer.byteLength(body) });
      res.end(body);
    };
    if (req.method === "PUT" && req.url === "/latest/api/token") {
      const ttl = Number(req.headers["x-aws-ec2-metadata-token-ttl-seconds"]);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21_600) return text(400, "");
      const token = randomBytes(24).toString("base64");
      tokens.set(token, Date.now() + ttl * 1000);
      return text(200, token);
    }
    if (req.method !== "GET") return text(405, "");
    const token = req.headers["x-aws-ec2-metadata-token"];
    if (typeof token !== "string" || (tokens.get(token) ?? 0) < Date.now()) return text(401, "");
    if (req.url === CREDENTIALS_PATH) return text(200, IMDS_ROLE);
    if (req.url === `${CREDENTIALS_PATH}${IMDS_ROLE}`) {
      const c = creds.current();
      return sendJson(res, 200, {
        Code: "Success",
        LastUpdated: isoSeconds(new Date()),
        Type: "AWS-HMAC",
        AccessKeyId: c.accessKeyId,
        SecretAccessKey: c.secretAccessKey,
        Token: c.sessionToken,
        Expiration: isoSeconds(c.expiration),
      });
    }
    return text(404, "");
  }, requests);
  return { url, requests, close: () => close(server) };
}

/** Environment variables the AWS default chain reads, all unset, so a test sets only the ones it means. */
export const AWS_CHAIN_VARIABLES = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_CREDENTIAL_EXPIRATION",
  "AWS_PROFILE",
  "AWS_DEFAULT_PROFILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_CONFIG_FILE",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_ROLE_ARN",
  "AWS_ROLE_SESSION_NAME",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
  "AWS_EC2_METADATA_DISABLED",
  "AWS_EC2_METADATA_SERVICE_ENDPOINT",
  "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
  "AWS_EC2_METADATA_V1_DISABLED",
  "AWS_ENDPOINT_URL",
  "AWS_ENDPOINT_URL_STS",
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
] as const;

/**
 * Runs `body` with the AWS chain's variables replaced by `vars` (shared config files pointed at
 * nothing, so a developer's ~/.aws never answers first), then restores them.
 */
export async function withAwsEnvironment<T>(
  vars: Partial<Record<(typeof AWS_CHAIN_VARIABLES)[number], string>>,
  body: () => Promise<T>,
): Promise<T> {
  const saved = new Map(AWS_CHAIN_VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of AWS_CHAIN_VARIABLES) delete process.env[name];
  Object.assign(process.env, {
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/upgate-test/credentials",
    AWS_CONFIG_FILE: "/nonexistent/upgate-test/config",
    ...vars,
  });
  try {
    return await body();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
