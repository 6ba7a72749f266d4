import { MissingDriverError } from "../server/ledger/driver.js";
import { CliError } from "./cli-error.js";

/**
 * The one line a command stops with when a call into the gateway fails: for a ledger driver that is
 * not installed, the package to install; otherwise `context` and the error's first line.
 */
export function commandFailure(command: string, err: unknown, context = ""): CliError {
  if (err instanceof MissingDriverError) return new CliError(`upgate ${command}: ${err.reason}`);
  return new CliError(`upgate ${command}: ${context}${(err as Error).message.split("\n")[0]}`);
}
