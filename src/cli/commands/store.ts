import { resolve } from "node:path";
import { createObjectStore, DEV_CREDENTIALS, type StoreCredential } from "../../store/index.js";
import { parseCommandArgs, parseDurationFlag, parsePort } from "../args.js";
import { CliError } from "../cli-error.js";
import { trackRequests } from "../http/drain.js";
import { shutdownSignal, stopOnSignal } from "../shutdown.js";

export const STORE_HELP = `Usage: upgate store [options]

Runs the embedded S3-compatible object store on its own.

Options:
  --port <n>           port to listen on (default 9000; 0 picks a free one)
  --host <addr>        address to bind (default 127.0.0.1)
  --data-dir <dir>     where objects live (default ./.upgate/data)
  --access-key <id>    access key id (or UPGATE_STORE_ACCESS_KEY)
  --secret-key <key>   secret access key (or UPGATE_STORE_SECRET_KEY)
  --region <name>      region signatures must name (default us-east-1)
  --bucket <name>      create this bucket at start (repeatable)
  --domain <name>      enable virtual-host addressing under <bucket>.<domain>
  --durability <mode>  fsync (default) or none, for throwaway data
  --grace <duration>   on SIGINT/SIGTERM, how long requests in flight may finish (default 5s)
  --json               print the start-up line as JSON
  -h, --help           show this help

Without credentials the store uses built-in dev credentials, and then only on a loopback address.
SIGINT or SIGTERM stops accepting connections and closes idle ones at once, lets requests in flight
finish for up to --grace, then cuts what is left and exits 0. A second signal exits at once.`;

export async function runStore(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseCommandArgs("store", argv, {
    port: { type: "string" },
    host: { type: "string" },
    "data-dir": { type: "string" },
    "access-key": { type: "string" },
    "secret-key": { type: "string" },
    region: { type: "string" },
    bucket: { type: "string", multiple: true },
    domain: { type: "string" },
    durability: { type: "string" },
    grace: { type: "string" },
    json: { type: "boolean" },
  });
  if (values.help) {
    console.log(STORE_HELP);
    return 0;
  }
  const accessKeyId = values["access-key"] ?? env.UPGATE_STORE_ACCESS_KEY;
  const secretAccessKey = values["secret-key"] ?? env.UPGATE_STORE_SECRET_KEY;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new CliError(
      "give both --access-key and --secret-key (or UPGATE_STORE_ACCESS_KEY and UPGATE_STORE_SECRET_KEY), or neither",
    );
  }
  const durability = values.durability ?? "fsync";
  if (durability !== "fsync" && durability !== "none")
    throw new CliError(`--durability must be fsync or none, got ${durability}`, 2);
  const credentials: StoreCredential[] = accessKeyId
    ? [{ accessKeyId, secretAccessKey: secretAccessKey! }]
    : [];
  const host = values.host ?? "127.0.0.1";
  const port = parsePort(values.port, 9000, "--port");
  const graceMs = parseDurationFlag(values.grace, 5_000, "--grace");
  const store = createObjectStore({
    dataDir: resolve(values["data-dir"] ?? ".upgate/data"),
    durability,
    credentials,
    ...(values.region ? { region: values.region } : {}),
    ...(values.domain ? { domain: values.domain } : {}),
    buckets: values.bucket ?? [],
  });
  const drain = trackRequests(store.server);
  try {
    await store.listen(port, host);
  } catch (err) {
    throw new CliError(`upgate store: cannot start: ${(err as Error).message}`);
  }
  // Listen before printing: whoever reads the start-up line may signal at once.
  const signal = shutdownSignal();
  const shown = credentials[0] ?? DEV_CREDENTIALS;
  const info = {
    url: store.url,
    accessKeyId: shown.accessKeyId,
    // Only the built-in dev secret is printed; a secret the operator chose is never echoed.
    ...(credentials.length === 0 ? { secretAccessKey: shown.secretAccessKey } : {}),
    region: store.state.region,
  };
  if (values.json) console.log(JSON.stringify(info));
  else {
    console.log(`upgate store listening on ${info.url} (region ${info.region})`);
    console.log(
      `  access key: ${info.accessKeyId}${info.secretAccessKey ? `\n  secret key: ${info.secretAccessKey} (built-in dev credentials)` : ""}`,
    );
  }
  await stopOnSignal({
    command: "store",
    signal,
    graceMs,
    inFlight: drain.inFlight,
    async stop(grace) {
      const cut = await drain.close(grace);
      await store.close();
      return cut;
    },
  });
  return 0;
}
