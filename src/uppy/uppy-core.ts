/**
 * @uppy/core, an optional peer dependency: loaded here once, so a project without it gets one line
 * naming the package instead of a resolver stack trace.
 */
import type * as UppyCore from "@uppy/core";

type UppyCoreModule = typeof UppyCore;

async function load(): Promise<UppyCoreModule> {
  try {
    return await import("@uppy/core");
  } catch {
    throw new Error("upgate/uppy needs @uppy/core: npm install @uppy/core@6");
  }
}

export const { BasePlugin } = await load();
