/**
 * createUpgateClient<typeof config>(): the uploader, the route rules and the React pieces, with the
 * route names of the server's config as a type (only the type is imported, never server code).
 */
import { createUploader, type RouteInfo, type Uploader, type UploaderOptions } from "../client/index.js";
import type { SessionSource } from "./session.js";
import { type UseUploadOptions, type UseUploadResult, useUploadFrom } from "./use-upload.js";

/** Anything shaped like a gateway config: `typeof config` where config = defineConfig({ routes }). */
export interface RoutesConfig {
  routes: Record<string, unknown>;
}

/** The route names of a config: "images" | "documents". */
export type RouteName<Config extends RoutesConfig> = Extract<keyof Config["routes"], string>;

export interface UpgateClient<Route extends string> {
  uploader: Uploader;
  /** GET /v1/routes (the uploader's getRoutes(): fetched once and cached). */
  routes(): Promise<RouteInfo[]>;
  useUpload(options: UseUploadOptions<Route>): UseUploadResult;
}

/** createUploader's options, or an uploader to reuse. */
export type UpgateClientOptions = UploaderOptions | { uploader: Uploader };

export function createUpgateClient<Config extends RoutesConfig = { routes: Record<string, unknown> }>(
  options: UpgateClientOptions,
): UpgateClient<RouteName<Config>> {
  const uploader = "uploader" in options ? options.uploader : createUploader(options);
  const source: SessionSource = { uploader, routes: () => uploader.getRoutes() };
  return {
    uploader,
    routes: source.routes,
    useUpload: (hookOptions) => useUploadFrom(source, hookOptions),
  };
}
