import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { LevelWithSilent } from "pino";
import type { RouteConfig, UpgateConfig } from "../../server/config/types.js";
import { parseCommandArgs, parseDurationFlag, parsePort } from "../args.js";
import { CliError } from "../cli-error.js";
import { commandFailure } from "../command-failure.js";
import { loadConfig, withConfigErrors } from "../config/gateway-config.js";
import { writeDevConfig } from "../dev-config-file.js";
import { DEV_ROUTES } from "../dev-routes.js";
import { type DevStack, startDevStack } from "../dev-stack.js";
import { upgateCommand } from "../invocation.js";
import { shutdownSignal, stopOnSignal } from "../shutdown.js";

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
Ctrl-C or SIGTERM stops taking connections and closes idle ones at once, lets requests in flight
(uploads too) finish for up to --grace, cuts what is left, closes the ledger and exits 0; multipart
uploads cut short resume from the parts already stored. A second Ctrl-C exits at once.

The sweeper runs every 30 seconds: an upload whose URLs lapsed before its page completed it (a
closed tab) is verified if its file is stored, else expired once past the grace period. dev
writes <data-dir>/upgate.config.json (.mjs or .mts with --config in code), the stack's store,
ledger and routes, for upgate sweep and doctor; it prints the command.

Options:
  --port <n>           gateway and demo page port (default 8080; 0 picks a free one)
  --store-port <n>     object store port (default 9000; 0 picks a free one)
  --host <addr>        address both bind (default 127.0.0.1)
  --data-dir <dir>     objects, ledger and the dev token secret (default ./.upgate)
  --config <file>      a gateway config whose routes (and sweep settings) replace the defaults
  --web-dir <dir>      the built demo page (default: web/dist of this upgate package)
  --grace <duration>   on Ctrl-C or SIGTERM, how long requests in flight may finish (default 5s)
  --sweep <duration>   how often the sweeper runs (default 30s; off: never)
  --log-level <level>  gateway log level (default info; silent for none)
  --json               print the URLs and credentials as one JSON line
  -h, --help           show this help`;

/** The routes and sweep settings of a --config file; the rest of it does not apply to the dev stack. */
async function fromConfig(
  file: string,
  env: NodeJS.ProcessEnv,
): Promise<{ routes: Record<string, RouteConfig>; sweep?: UpgateConfig["sweep"] }> {
  const { config } = await loadConfig({ command: "dev", file, env, required: true, serving: true });
  const routes = config.routes;
  if (typeof routes !== "object" || routes === null || Object.keys(routes).length === 0) {
    throw new CliError(`upgate dev: ${file} declares no routes`, 2);
  }
  const ignored = Object.keys(config).filter(
    (k) => !["routes", "sweep", "storage", "ledger", "auth", "logger"].includes(k),
  );
  if (ignored.length > 0)
    console.error(`upgate dev: using the routes of ${file}; ignoring ${ignored.join(", ")}`);
  return {
    routes: routes as Record<string, RouteConfig>,
    ...(config.sweep !== undefined && { sweep: config.sweep as UpgateConfig["sweep"] }),
  };
}

/** --sweep over the config's sweep settings: "off" never sweeps. */
function sweepSettings(flag: string | undefined, fromFile: UpgateConfig["sweep"]): UpgateConfig["sweep"] {
  if (flag === undefined) return fromFile;
  const grace = fromFile ? fromFile.grace : undefined;
  if (flag === "off") return { ...(grace !== undefined && { grace }), interval: false };
  return { ...(grace !== undefined && { grace }), interval: `${parseDurationFlag(flag, 0, "--sweep")}ms` };
}

function announce(stack: DevStack, dataDir: string, configFile: string, json: boolean): void {
  const intervalMs = stack.gateway.config.sweep.intervalMs;
  const info = {
    gatewayUrl: stack.gatewayUrl,
    storeUrl: stack.storeUrl,
    bucket: stack.bucket,
    region: stack.region,
    accessKeyId: stack.credentials.accessKeyId,
    secretAccessKey: stack.credentials.secretAccessKey,
    dataDir,
    ledger: `sqlite:${join(dataDir, "ledger.db")}`,
    config: configFile,
    sweepIntervalMs: intervalMs ?? null,
  };
  if (json) {
    console.log(JSON.stringify(info));
    return;
  }
  const upgate = upgateCommand();
  const credentials = `UPGATE_STORAGE_ACCESS_KEY=${info.accessKeyId} UPGATE_STORAGE_SECRET_KEY=${info.secretAccessKey}`;
  console.log(
    [
      "upgate dev is running",
      `  demo page and API   ${info.gatewayUrl}`,
      `  object store        ${info.storeUrl}  (bucket ${info.bucket}, region ${info.region})`,
      `  store access key    ${info.accessKeyId}`,
      `  store secret key    ${info.secretAccessKey}  (built-in dev credentials, loopback only)`,
      `  data                ${dataDir}`,
      `  sweeper             ${intervalMs === undefined ? "off" : `every ${intervalMs / 1000} s`}  (completes uploads whose page closed before it did)`,
      "",
      `Open ${info.gatewayUrl} in a browser. Check the setup with:`,
      `  ${credentials} ${upgate} doctor --endpoint ${info.storeUrl} --bucket ${info.bucket} --origin ${info.gatewayUrl} --ledger ${info.ledger}`,
      "Sweep now (add --dry-run to only see what it would do):",
      `  ${credentials} ${upgate} sweep --config ${configFile}`,
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
    sweep: { type: "string" },
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
  const fromFile = values.config === undefined ? undefined : await fromConfig(values.config, env);
  const routes = fromFile?.routes;
  const sweep = sweepSettings(values.sweep, fromFile?.sweep);
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
        ...(sweep !== undefined && { sweep }),
      }),
    );
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`upgate dev: cannot start: ${(err as Error).message.split("\n")[0]}`);
  }
  try {
    // Open and migrate the ledger now: a broken one fails here, not at the first upload.
    await stack.gateway.ledger.migrate();
  } catch (err) {
    await stack.close();
    throw commandFailure("dev", err, "cannot open the ledger: ");
  }
  let configFile: string;
  try {
    configFile = await writeDevConfig({
      dataDir,
      storeUrl: stack.storeUrl,
      region: stack.region,
      bucket: stack.bucket,
      ledger: `sqlite:${join(dataDir, "ledger.db")}`,
      routes: routes ?? DEV_ROUTES,
      ...(values.config !== undefined && { routesFile: resolve(values.config) }),
      ...(sweep !== undefined && { sweep }),
    });
  } catch (err) {
    await stack.close();
    throw new CliError(`upgate dev: cannot write its config into ${dataDir}: ${(err as Error).message}`);
  }
  // Listen before announcing: whoever reads the announcement may signal at once.
  const stopRequested = shutdownSignal();
  announce(stack, dataDir, configFile, values.json === true);
  await stopOnSignal({
    command: "dev",
    signal: stopRequested,
    graceMs,
    inFlight: stack.inFlight,
    stop: stack.shutdown,
    cutNote: "multipart uploads resume from the parts stored",
  });
  return 0;
}
