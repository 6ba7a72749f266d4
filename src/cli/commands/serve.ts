import { createGateway } from "../../server/gateway.js";
import { toNodeHandler } from "../../server/node.js";
import { parseCommandArgs, parseDurationFlag, parsePort } from "../args.js";
import { CliError } from "../cli-error.js";
import { commandFailure } from "../command-failure.js";
import { ENVIRONMENT } from "../config/env.js";
import { loadConfig, type UpgateConfig, withConfigErrors } from "../config/gateway-config.js";
import { listenHttp } from "../http/listen.js";
import { upgateRun } from "../invocation.js";
import { shutdownSignal, stopOnSignal } from "../shutdown.js";

export const SERVE_HELP = `Usage: upgate serve [--config upgate.config.ts] [options]

Runs the production gateway on node:http. The config file (.ts through tsx, .mjs, .js or .json;
default ./upgate.config.*) is read first, then UPGATE_* environment variables override it. Secrets
come only from the environment: a config holding a literal secret is refused. With no storage keys
in the config or UPGATE_STORAGE_*, the storage credentials come from the AWS default chain (a role
on ECS, EKS, EC2 or Lambda; AWS_PROFILE; ...), refreshed before they expire; this needs the
optional package @aws-sdk/credential-providers. SIGINT or SIGTERM stops accepting connections and
closes idle ones at once, lets requests in flight finish for up to --grace, cuts what is left,
closes the ledger and exits 0. A second signal exits at once.

It also runs the sweeper every sweep.interval of the config (default 5m; sweep: false turns it
off): uploads whose URLs lapsed with their file stored are verified without their client, the
rest expired after the grace period, orphans removed (see ${upgateRun("sweep --help")}).

Options:
  --config <file>     the gateway config
  --port <n>          port (or UPGATE_PORT; default 8080; 0 picks a free one)
  --host <addr>       address to bind (or UPGATE_HOST; default 127.0.0.1; 0.0.0.0 in containers)
  --grace <duration>  on SIGINT/SIGTERM, how long requests in flight may finish (default 5s)
  --json              print the start-up line as JSON
  -h, --help          show this help

Environment:
${ENVIRONMENT.map((e) => `  ${e.name.padEnd(30)}${e.sets}`).join("\n")}`;

export async function runServe(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseCommandArgs("serve", argv, {
    config: { type: "string" },
    port: { type: "string" },
    host: { type: "string" },
    grace: { type: "string" },
    json: { type: "boolean" },
  });
  if (values.help) {
    console.log(SERVE_HELP);
    return 0;
  }
  const port = parsePort(
    values.port ?? env.UPGATE_PORT,
    8080,
    values.port === undefined ? "UPGATE_PORT" : "--port",
  );
  const host = values.host ?? env.UPGATE_HOST ?? "127.0.0.1";
  const graceMs = parseDurationFlag(values.grace, 5_000, "--grace");
  const { file, config } = await loadConfig({
    command: "serve",
    file: values.config,
    env,
    required: true,
    serving: true,
  });
  const gateway = withConfigErrors("serve", file, () => createGateway(config as unknown as UpgateConfig));
  try {
    await gateway.ledger.migrate();
  } catch (err) {
    await gateway.close().catch(() => {});
    throw commandFailure("serve", err, "cannot open the ledger: ");
  }
  // Fetched before listening: a missing role, package or key fails the start, not the first upload.
  try {
    await gateway.storage.credentials.get();
  } catch (err) {
    await gateway.close().catch(() => {});
    throw commandFailure("serve", err, "no storage credentials: ");
  }
  const credentials = gateway.storage.credentials.status();
  let http: Awaited<ReturnType<typeof listenHttp>>;
  try {
    http = await listenHttp(toNodeHandler(gateway), port, host);
  } catch (err) {
    await gateway.close().catch(() => {});
    throw new CliError(`upgate serve: cannot listen on ${host}:${port}: ${(err as Error).message}`);
  }
  gateway.startSweeping();
  // Listen before printing: whoever reads the start-up line may signal at once.
  const signal = shutdownSignal();
  const sweepMs = gateway.config.sweep.intervalMs;
  const info = {
    url: http.url,
    config: file,
    bucket: gateway.config.storage.bucket,
    routes: [...gateway.config.routes.keys()],
    sweepIntervalMs: sweepMs ?? null,
    credentials: credentials.source,
  };
  if (values.json) console.log(JSON.stringify(info));
  else
    console.log(
      `upgate gateway listening on ${info.url} (config ${file}; bucket ${info.bucket}; routes ${info.routes.join(", ")}; ${sweepMs === undefined ? "sweeper off" : `sweeping every ${sweepMs / 1000} s`}; credentials: ${info.credentials})`,
    );
  await stopOnSignal({
    command: "serve",
    signal,
    graceMs,
    inFlight: http.inFlight,
    async stop(grace) {
      const deadline = Date.now() + grace;
      const cut = await http.close(grace);
      // Webhook deliveries get what is left of the grace period.
      await gateway.close({ webhookWaitMs: Math.max(0, deadline - Date.now()) });
      return cut;
    },
  });
  return 0;
}
