import type { UpgateConfig } from "./types.js";

/** Types a config for editors; it is validated when the gateway is created (resolveConfig). */
export function defineConfig<T extends UpgateConfig>(config: T): T {
  return config;
}
