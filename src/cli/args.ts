import { type ParseArgsConfig, parseArgs } from "node:util";
import { parseDuration } from "../core/util/duration.js";
import { CliError } from "./cli-error.js";
import { upgateRun } from "./invocation.js";

type Options = NonNullable<ParseArgsConfig["options"]>;
type WithHelp<T extends Options> = T & { help: { type: "boolean"; short: "h" } };
type Parsed<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: WithHelp<T>; strict: true; allowPositionals: true }>
>;

/** parseArgs with strict checking, turning its errors into one-line CLI errors. */
export function parseCommandArgs<T extends Options>(command: string, argv: string[], options: T): Parsed<T> {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new CliError(
      `upgate ${command}: ${(err as Error).message.split("\n")[0]!.replace(/\. To specify .*$/s, "")} (see ${upgateRun(`${command} --help`)})`,
      2,
    );
  }
}

export function parsePort(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new CliError(`${flag} must be a port number from 0 to 65535, got ${JSON.stringify(value)}`, 2);
  return port;
}

/** A duration flag ("10s", "2m", or seconds) in milliseconds. */
export function parseDurationFlag(value: string | undefined, fallbackMs: number, flag: string): number {
  if (value === undefined) return fallbackMs;
  try {
    return parseDuration(value);
  } catch (err) {
    throw new CliError(`${flag}: ${(err as Error).message}`, 2);
  }
}
