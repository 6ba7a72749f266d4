import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { createUploader, describeError, type UploadRecord } from "../../client/index.js";
import { parseCommandArgs, parseDurationFlag } from "../args.js";
import { CliError } from "../cli-error.js";
import { formatBytes } from "../output.js";
import { devSessionToken } from "../upload/dev-session.js";
import { fileStateStore } from "../upload/file-state.js";
import { openFile } from "../upload/open-file.js";
import { createProgressView } from "../upload/progress.js";

export const UPLOAD_HELP = `Usage: upgate upload FILE... --route <route> [options]

Uploads files through a gateway with the same client code as the browser (upgate/client): each
file is hashed, declared, sent straight to storage with the URLs the gateway signs, then verified.
Multipart uploads resume: run the same command again after an interruption and only the parts
storage does not hold yet are sent.

Options:
  --route <name>              the gateway route (required)
  --endpoint <url>            the gateway (or UPGATE_ENDPOINT; default http://127.0.0.1:8080)
  --token <token>             sent as Authorization: Bearer (or UPGATE_TOKEN)
  --dev-user <name>           sign in as this demo user first (only against upgate dev)
  --type <mime>               content type for every file (default: from the extension)
  --state-dir <dir>           where resume state is kept (or UPGATE_STATE_DIR; default ~/.upgate)
  --concurrency <n>           parts in flight per file (default 4)
  --progress-interval <dur>   time between progress lines when stderr is not a terminal (default 1s)
  --quiet                     no progress output
  --json                      print the verified records as a JSON array
  -h, --help                  show this help

Progress goes to stderr: a bar on a terminal, plain lines otherwise. The records go to stdout.`;

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new CliError(`${flag} must be a whole number of 1 or more`, 2);
  return n;
}

function printRecords(records: UploadRecord[], json: boolean): void {
  if (json) {
    console.log(JSON.stringify(records));
    return;
  }
  for (const r of records)
    console.log(`${r.status}  ${r.name}  ${formatBytes(r.size)}  id ${r.id}  key ${r.key}`);
}

export async function runUpload(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseCommandArgs("upload", argv, {
    route: { type: "string" },
    endpoint: { type: "string" },
    token: { type: "string" },
    "dev-user": { type: "string" },
    type: { type: "string" },
    "state-dir": { type: "string" },
    concurrency: { type: "string" },
    "progress-interval": { type: "string" },
    quiet: { type: "boolean" },
    json: { type: "boolean" },
  });
  if (values.help) {
    console.log(UPLOAD_HELP);
    return 0;
  }
  if (!values.route) throw new CliError("upgate upload: --route is required", 2);
  if (positionals.length === 0) throw new CliError("upgate upload: name at least one file", 2);
  const concurrency = positiveInt(values.concurrency, "--concurrency");
  const intervalMs = parseDurationFlag(values["progress-interval"], 1000, "--progress-interval");
  const endpoint = values.endpoint ?? env.UPGATE_ENDPOINT ?? "http://127.0.0.1:8080";
  if (!URL.canParse(endpoint)) throw new CliError(`upgate upload: the endpoint is not a URL: ${endpoint}`, 2);
  if (values.token !== undefined && values["dev-user"] !== undefined) {
    throw new CliError("upgate upload: give --token or --dev-user, not both", 2);
  }
  const files = await Promise.all(positionals.map((path) => openFile(path, values.type)));
  const token =
    values["dev-user"] === undefined
      ? (values.token ?? env.UPGATE_TOKEN)
      : await devSessionToken(endpoint, values["dev-user"]);
  const stateDir = resolve(values["state-dir"] ?? env.UPGATE_STATE_DIR ?? join(homedir(), ".upgate"));
  const uploader = createUploader({
    endpoint,
    ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    stateStore: fileStateStore(join(stateDir, "resume")),
    ...(concurrency === undefined ? {} : { concurrency }),
  });
  const view = values.quiet ? undefined : createProgressView({ stream: process.stderr, intervalMs });
  const interrupted = () => {
    view?.finish();
    console.error("upgate upload: interrupted; run the same command again to resume multipart uploads");
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  let records: UploadRecord[];
  try {
    records = await uploader.upload(files, {
      route: values.route,
      onProgress: (p) => view?.update(p),
      onRetry: (r) => {
        if (!values.quiet)
          console.error(`upgate upload: ${describeError(r.error)} (retry ${r.retry} in ${r.delayMs} ms)`);
      },
    });
  } catch (err) {
    view?.finish();
    throw new CliError(`upgate upload: ${describeError(err)}`);
  } finally {
    process.off("SIGINT", interrupted);
  }
  view?.finish();
  printRecords(records, values.json === true);
  return 0;
}
