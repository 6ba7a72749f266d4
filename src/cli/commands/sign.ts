import { presignUrl } from "../../core/sigv4/presign.js";
import { parseDuration } from "../../core/util/duration.js";
import { parseCommandArgs } from "../args.js";
import { CliError } from "../cli-error.js";

export const SIGN_HELP = `Usage: upgate sign --bucket <name> --key <key> [options]

Prints a presigned URL (signed locally: nothing is sent to the storage). Every header given here is
signed, so the request must send exactly those headers.

Options:
  --method <m>            PUT (default), GET, HEAD or DELETE
  --bucket <name>         bucket (or UPGATE_STORAGE_BUCKET)
  --key <key>             object key (required)
  --content-type <type>   sign content-type
  --content-length <n>    sign the exact length
  --sha256 <digest>       sign x-amz-checksum-sha256 (base64, or hex which is converted)
  --if-none-match         sign if-none-match: * (the URL cannot overwrite an object)
  --expires <duration>    lifetime: seconds or "5m", "1h", up to 7 days (default 5m)
  --endpoint <url>        storage endpoint (or UPGATE_STORAGE_ENDPOINT)
  --region <name>         region (or UPGATE_STORAGE_REGION; default us-east-1)
  --path-style            path-style addressing (or UPGATE_STORAGE_PATH_STYLE=true)
  --access-key <id>       access key (default UPGATE_STORAGE_ACCESS_KEY)
  --secret-key <key>      secret key (default UPGATE_STORAGE_SECRET_KEY)
  --json                  print { method, url, headers, expiresAt }
  -h, --help              show this help

Without --json, the URL goes to stdout and the headers to send, if any, to stderr.`;

const METHODS = new Set(["PUT", "GET", "HEAD", "DELETE"]);

function checksum(value: string): string {
  if (/^[0-9a-f]{64}$/i.test(value)) return Buffer.from(value, "hex").toString("base64");
  if (Buffer.from(value, "base64").length === 32 && value.length === 44) return value;
  throw new CliError(
    `--sha256 must be a SHA-256 digest in base64 (44 characters) or hex (64), got ${JSON.stringify(value)}`,
    2,
  );
}

function expiresSeconds(value: string | undefined): number {
  if (value === undefined) return 300;
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch (err) {
    throw new CliError(`--expires: ${(err as Error).message}`, 2);
  }
  const seconds = ms / 1000;
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 604_800) {
    throw new CliError("--expires must be a whole number of seconds from 1 second to 7 days", 2);
  }
  return seconds;
}

export async function runSign(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseCommandArgs("sign", argv, {
    method: { type: "string" },
    bucket: { type: "string" },
    key: { type: "string" },
    "content-type": { type: "string" },
    "content-length": { type: "string" },
    sha256: { type: "string" },
    "if-none-match": { type: "boolean" },
    expires: { type: "string" },
    endpoint: { type: "string" },
    region: { type: "string" },
    "path-style": { type: "boolean" },
    "access-key": { type: "string" },
    "secret-key": { type: "string" },
    json: { type: "boolean" },
  });
  if (values.help) {
    console.log(SIGN_HELP);
    return 0;
  }
  const method = (values.method ?? "PUT").toUpperCase();
  if (!METHODS.has(method))
    throw new CliError(`--method must be PUT, GET, HEAD or DELETE, got ${values.method}`, 2);
  const bucket = values.bucket ?? env.UPGATE_STORAGE_BUCKET;
  const endpoint = values.endpoint ?? env.UPGATE_STORAGE_ENDPOINT;
  const accessKeyId = values["access-key"] ?? env.UPGATE_STORAGE_ACCESS_KEY;
  const secretAccessKey = values["secret-key"] ?? env.UPGATE_STORAGE_SECRET_KEY;
  if (!values.key) throw new CliError("upgate sign: --key is required", 2);
  if (!bucket) throw new CliError("upgate sign: no bucket: pass --bucket or set UPGATE_STORAGE_BUCKET", 2);
  if (!endpoint)
    throw new CliError("upgate sign: no endpoint: pass --endpoint or set UPGATE_STORAGE_ENDPOINT", 2);
  if (!accessKeyId || !secretAccessKey) {
    throw new CliError(
      "upgate sign: no credentials: set UPGATE_STORAGE_ACCESS_KEY and UPGATE_STORAGE_SECRET_KEY (or --access-key and --secret-key)",
      2,
    );
  }
  const headers: Record<string, string> = {};
  if (values["content-type"] !== undefined) headers["content-type"] = values["content-type"];
  if (values["content-length"] !== undefined) {
    if (!/^\d+$/.test(values["content-length"]))
      throw new CliError("--content-length must be a number of bytes", 2);
    headers["content-length"] = values["content-length"];
  }
  if (values.sha256 !== undefined) headers["x-amz-checksum-sha256"] = checksum(values.sha256);
  if (values["if-none-match"]) headers["if-none-match"] = "*";
  const sessionToken = env.UPGATE_STORAGE_SESSION_TOKEN;
  let signed: Awaited<ReturnType<typeof presignUrl>>;
  try {
    signed = await presignUrl({
      method,
      endpoint,
      bucket,
      key: values.key,
      forcePathStyle:
        values["path-style"] === true || /^(true|1|yes)$/i.test(env.UPGATE_STORAGE_PATH_STYLE ?? ""),
      region: values.region ?? env.UPGATE_STORAGE_REGION ?? "us-east-1",
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
      expiresIn: expiresSeconds(values.expires),
      headers,
      hoistHeaders: false,
    });
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`upgate sign: ${(err as Error).message}`, 2);
  }
  const sent = Object.fromEntries(
    Object.entries(signed.headers).filter(([name]) => name !== "content-length"),
  );
  if (values.json) {
    console.log(
      JSON.stringify({
        method,
        url: signed.url,
        headers: signed.headers,
        expiresAt: signed.expiresAt.toISOString(),
      }),
    );
    return 0;
  }
  console.log(signed.url);
  const list = Object.entries(sent).map(([name, value]) => `-H '${name}: ${value}'`);
  if (list.length > 0 || headers["content-length"]) {
    console.error(
      `send exactly: ${list.join(" ")}${headers["content-length"] ? ` and a ${headers["content-length"]}-byte body` : ""}`,
    );
  }
  return 0;
}
