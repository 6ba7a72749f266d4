/**
 * createUpgateClient<typeof config>(): the uploader, the route rules and the React pieces, with the
 * route names of the server's config as a type (only the type is imported, never server code).
 */
import {
  createUploader,
  defaultStateStore,
  type RouteInfo,
  type StateStore,
  type Uploader,
  type UploaderOptions,
} from "../client/index.js";
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
  stateStore: StateStore;
  /** GET /v1/routes (the uploader's getRoutes(): fetched once and cached). */
  routes(): Promise<RouteInfo[]>;
  useUpload(options: UseUploadOptions<Route>): UseUploadResult;
}

export type UpgateClientOptions = UploaderOptions | { uploader: Uploader; stateStore?: StateStore };

export function createUpgateClient<Config extends RoutesConfig = { routes: Record<string, unknown> }>(
  options: UpgateClientOptions,
): UpgateClient<RouteName<Config>> {
  let uploader: Uploader;
  let stateStore: StateStore;
  if ("uploader" in options) {
    uploader = options.uploader;
    stateStore = options.stateStore ?? defaultStateStore();
  } else {
    stateStore = options.stateStore ?? defaultStateStore();
    uploader = createUploader({ ...options, stateStore });
  }
  const source: SessionSource = { uploader, stateStore, routes: () => uploader.getRoutes() };
  return {
    uploader,
    stateStore,
    routes: source.routes,
    useUpload: (hookOptions) => useUploadFrom(source, hookOptions),
  };
}
