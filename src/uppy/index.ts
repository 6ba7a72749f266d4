/**
 * upgate/uppy: an Uppy 6 uploader plugin on upgate/client (signed headers, checksums, resume after
 * a reload), with the route's rules as Uppy's restrictions. @uppy/core is an optional peer dependency.
 */
export { Upgate, type UpgateOptions, type UpgatePluginState } from "./plugin.js";
export { mergeRestrictions, type RouteRestrictions, routeRestrictions } from "./restrictions.js";
