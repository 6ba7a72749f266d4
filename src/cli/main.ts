#!/usr/bin/env node
import { CliError } from "./cli-error.js";
import { runStore } from "./commands/store.js";

const HELP = `Usage: upgate <command> [options]

Commands:
  store    run the embedded S3-compatible object store

Run "upgate <command> --help" for a command's options.`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  store: runStore,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    console.log(HELP);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (!run) throw new CliError(`upgate: unknown command "${command}" (run upgate --help)`, 2);
  return run(rest);
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
