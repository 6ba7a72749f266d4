import { UpgateError } from "../../core/errors.js";
import type { UpgateConfig } from "../../server/config/types.js";
import { CliError } from "../cli-error.js";
import { upgateRun } from "../invocation.js";
import { applyEnvironment } from "./env.js";
import { findConfigFile, loadConfigFile } from "./load-file.js";
import { literalSecrets } from "./secrets.js";

type Env = NodeJS.ProcessEnv;

export interface LoadedConfig {
  /** The file read, or undefined when there was none (storage then comes from flags and env only). */
  file: string | undefined;
  /** The file's config with the UPGATE_* variables written over it; not yet validated. */
  config: Record<string, unknown>;
}

export interface LoadOptions {
  command: string;
  /** --config, if given; otherwise ./upgate.config.* when there is one. */
  file: string | undefined;
  env: Env;
  /** Fail when no config file is found. */
  required: boolean;
  /** serve: keep the config's auth and logging as written. Other commands never authenticate. */
  serving: boolean;
}

/** Reads the config file, refuses literal secrets, and applies the environment. */
export async function loadConfig(options: LoadOptions): Promise<LoadedConfig> {
  const file = options.file ?? (await findConfigFile(process.cwd()));
  if (file === undefined && options.required) {
    throw new CliError(
      `upgate ${options.command}: no config: pass --config upgate.config.ts (or put one in this folder)`,
      2,
    );
  }
  const raw = file === undefined ? {} : await loadConfigFile(file);
  const literal = literalSecrets(raw, options.env);
  if (literal.length > 0) {
    throw new CliError(
      `upgate ${options.command}: ${file} holds a secret as a literal (${literal.join(", ")}): secrets come only from the environment; remove it and set the UPGATE_* variable (see ${upgateRun(`${options.command} --help`)})`,
    );
  }
  let config: Record<string, unknown>;
  try {
    config = applyEnvironment(raw, options.env);
  } catch (err) {
    throw new CliError(`upgate ${options.command}: ${(err as Error).message}`, 2);
  }
  if (!options.serving) {
    // These commands never authenticate anyone: a config without auth is still complete enough.
    config.auth ??= () => null;
    config.logger ??= { level: "silent" };
  }
  return { file, config };
}

function configFailure(command: string, file: string | undefined, err: unknown): never {
  if (err instanceof UpgateError && err.code === "CONFIG_INVALID") {
    const problems = (err.details?.problems as Array<{ path: string; message: string }> | undefined) ?? [];
    const list = problems.length
      ? problems.map((p) => `${p.path ? `${p.path}: ` : ""}${p.message}`).join("; ")
      : err.message.replace(/\s*\n\s*/g, " ");
    throw new CliError(`upgate ${command}: invalid config${file ? ` ${file}` : ""}: ${list}`);
  }
  throw err;
}

/** Runs `build` (resolveConfig, createGateway, ...), turning CONFIG_INVALID into one CLI line. */
export function withConfigErrors<T>(command: string, file: string | undefined, build: () => T): T {
  try {
    const out = build();
    if (out instanceof Promise) return out.catch((err: unknown) => configFailure(command, file, err)) as T;
    return out;
  } catch (err) {
    return configFailure(command, file, err);
  }
}

export type { UpgateConfig };
