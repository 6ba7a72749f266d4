/**
 * React, an optional peer dependency: loaded here once, so a project without it gets one line
 * naming the package instead of a resolver stack trace.
 */
import type * as ReactModule from "react";

type ReactApi = typeof ReactModule;

async function load(): Promise<ReactApi> {
  let module: ReactApi & { default?: ReactApi };
  try {
    module = (await import("react")) as typeof module;
  } catch {
    throw new Error("upgate/react needs react: npm install react@19");
  }
  // react is CommonJS: through an ESM import its API may sit on `default`.
  return typeof module.useState === "function" ? module : module.default!;
}

export const React: ReactApi = await load();
