import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { LevelWithSilent } from "pino";
import type { RouteConfig } from "../../server/config/types.js";
import { parseCommandArgs, parseDurationFlag, parsePort } from "../args.js";
import { CliError } from "../cli-error.js";
import { commandFailure } from "../command-failure.js";
import { loadConfig, withConfigErrors } from "../config/gateway-config.js";
import { type DevStack, startDevStack } from "../dev-stack.js";
import { trackRequests } from "../http/drain.js";
import { shutdownSignal } from "../shutdown.js";

/** <project>/web/dist, from src/cli/commands (tsx) or dist/cli/commands (built) alike. */
const DEFAULT_WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../../web/dist");
const LEVELS = new Set(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

export const DEV_HELP = `Usage: upgate dev [options]

Runs everything on this machine in one process: the embedded S3-compatible store (data kept in
<data-dir>/data across restarts) with its bucket and CORS, the gateway in dev mode (the demo page
signs in as a named demo user; dev tokens are refused outside dev mode) with the default routes
(images up to 10 MB, documents up to 50 MB, any file up to 5 GB in multipart), and the demo page.
The ledger is SQLite (<data-dir>/ledger.db) through better-sqlite3, an optional peer dependency:
without it, dev stops at start saying to run npm install better-sqlite3@12.
Ctrl-C stops taking requests, lets uploads in flight finish for a moment, and closes everything;
multipart uploads cut short resume from the parts already stored.

Options:
  --port <n>           gateway and demo page port (default 8080; 0 picks a free one)
  --store-port <n>     object store port (default 9000; 0 picks a free one)
  --host <addr>        address both bind (default 127.0.0.1)
  --data-dir <dir>     objects, ledger and the dev token secret (default ./.upgate)
  --config <file>      a gateway config whose routes replace the default routes
  --web-dir <dir>      the built demo page (default: web/dist of this upgate package)
  --grace <duration>   on Ctrl-C, how long uploads in flight may finish (default 5s)
  --log-level <level>  gateway log level (default info; silent for none)
  --json               print the URLs and credentials as one JSON line
  -h, --help           show this help`;

/** The routes of a --config file; the rest of it does not apply to the dev stack. */
async function configRoutes(file: string, env: NodeJS.ProcessEnv): Promise<Record<string, RouteConfig>> {
  const { config } = await loadConfig({ command: "dev", file, env, required: true, serving: true });
  const routes = config.routes;
  if (typeof routes !== "object" || routes === null || Object.keys(routes).length === 0) {
    throw new CliError(`upgate dev: ${file} declares no routes`, 2);
  }
  const ignored = Object.keys(config).filter(
    (k) => !["routes", "storage", "ledger", "auth", "logger"].includes(k),
  );
  if (ignored.length > 0)
    console.error(`upgate dev: using the routes of ${file}; ignoring ${ignored.join(", ")}`);
  return routes as Record<string, RouteConfig>;
}

function announce(stack: DevStack, dataDir: string, json: boolean): void {
  const info = {
    gatewayUrl: stack.gatewayUrl,
    storeUrl: stack.storeUrl,
    bucket: stack.bucket,
    region: stack.region,
    accessKeyId: stack.credentials.accessKeyId,
    secretAccessKey: stack.credentials.secretAccessKey,
    dataDir,
    ledger: `sqlite:${join(dataDir, "ledger.db")}`,
  };
  if (json) {
    console.log(JSON.stringify(info));
    return;
  }
  console.log(
    [
      "upgate dev is running",
      `  demo page and API   ${info.gatewayUrl}`,
      `  object store        ${info.storeUrl}  (bucket ${info.bucket}, region ${info.region})`,
      `  store access key    ${info.accessKeyId}`,
      `  store secret key    ${info.secretAccessKey}  (built-in dev credentials, loopback only)`,
      `  data                ${dataDir}`,
      "",
      `Open ${info.gatewayUrl} in a browser. Check the setup with:`,
      `  UPGATE_STORAGE_ACCESS_KEY=${info.accessKeyId} UPGATE_STORAGE_SECRET_KEY=${info.secretAccessKey} upgate doctor --endpoint ${info.storeUrl} --bucket ${info.bucket} --origin ${info.gatewayUrl} --ledger ${info.ledger}`,
      "Press Ctrl-C to stop.",
    ].join("\n"),
  );
}

export async function runDev(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseCommandArgs("dev", argv, {
    port: { type: "string" },
    "store-port": { type: "string" },
    host: { type: "string" },
    "data-dir": { type: "string" },
    config: { type: "string" },
    "web-dir": { type: "string" },
    grace: { type: "string" },
    "log-level": { type: "string" },
    json: { type: "boolean" },
  });
  if (values.help) {
    console.log(DEV_HELP);
    return 0;
  }
  const port = parsePort(values.port, 8080, "--port");
  const storePort = parsePort(values["store-port"], 9000, "--store-port");
  const graceMs = parseDurationFlag(values.grace, 5_000, "--grace");
  const logLevel = values["log-level"] ?? "info";
  if (!LEVELS.has(logLevel)) throw new CliError(`--log-level must be one of ${[...LEVELS].join(", ")}`, 2);
  const dataDir = resolve(values["data-dir"] ?? ".upgate");
  const routes = values.config === undefined ? undefined : await configRoutes(values.config, env);
  let stack: DevStack;
  try {
    stack = await withConfigErrors("dev", values.config, () =>
      startDevStack({
        port,
        storePort,
        dataDir,
        host: values.host ?? "127.0.0.1",
        webDir: resolve(values["web-dir"] ?? DEFAULT_WEB_DIR),
        logLevel: logLevel as LevelWithSilent,
        ...(routes ? { routes } : {}),
      }),
    );
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`upgate dev: cannot start: ${(err as Error).message.split("\n")[0]}`);
  }
  const storeDrain = trackRequests(stack.store.server);
  try {
    // Open and migrate the ledger now: a broken one fails here, not at the first upload.
    await stack.gateway.ledger.migrate();
  } catch (err) {
    await stack.close();
    throw commandFailure("dev", err, "cannot open the ledger: ");
  }
  // Listen before announcing: whoever reads the announcement may signal at once.
  const stopRequested = shutdownSignal();
  announce(stack, dataDir, values.json === true);
  const signal = await stopRequested;
  console.error(
    `upgate dev: ${signal}: stopping; waiting up to ${graceMs} ms for ${storeDrain.inFlight()} storage request(s)`,
  );
  const cut = await storeDrain.close(graceMs);
  await stack.close();
  if (cut > 0)
    console.error(`upgate dev: cut ${cut} upload request(s); multipart uploads resume from the parts stored`);
  return 0;
}
