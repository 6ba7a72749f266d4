#!/usr/bin/env node
import { CliError } from "./cli-error.js";
import { upgateRun } from "./invocation.js";

const HELP = `Usage: upgate <command> [options]  (here: ${upgateRun("<command>")})

Commands:
  dev      store, gateway and demo page on this machine in one process (what npm start runs)
  serve    the production gateway (config file + UPGATE_* environment)
  store    the embedded S3-compatible object store on its own
  cors     show or apply the bucket CORS rule the routes need (cors show|apply)
  doctor   check storage, credentials, CORS, clock, checksums and ledger; a fix for each failure
  sign     print a presigned URL for scripts
  upload   upload files through a gateway, with progress and resume
  sweep    expire abandoned uploads and remove orphans (--dry-run to see first)

Run "${upgateRun("<command> --help")}" for a command's options. Docs: docs/cli.md.`;

type Command = (argv: string[]) => Promise<number>;

/** Each command's module is loaded only when it runs: `upgate sign` does not load the store. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  dev: async () => (await import("./commands/dev.js")).runDev,
  serve: async () => (await import("./commands/serve.js")).runServe,
  store: async () => (await import("./commands/store.js")).runStore,
  cors: async () => (await import("./commands/cors.js")).runCors,
  doctor: async () => (await import("./commands/doctor.js")).runDoctorCommand,
  sign: async () => (await import("./commands/sign.js")).runSign,
  upload: async () => (await import("./commands/upload.js")).runUpload,
  sweep: async () => (await import("./commands/sweep.js")).runSweep,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    console.log(HELP);
    return command === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!load) throw new CliError(`upgate: unknown command "${command}" (run ${upgateRun("--help")})`, 2);
  return (await load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    if (err instanceof CliError) {
      console.error(err.message);
      process.exitCode = err.exitCode;
    } else {
      console.error(`upgate: unexpected error: ${(err as Error)?.stack ?? err}`);
      process.exitCode = 1;
    }
  },
);
