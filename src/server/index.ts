/** `upgate/server`: the upload gateway, as docs/server.md and docs/config.md document it. */

export { defineConfig } from "./config/define.js";
export type { ConfigProblem } from "./config/issues.js";
export type { ResolvedConfig, ResolvedRoute } from "./config/resolved.js";
export type * from "./config/types.js";
export { createGateway, type Gateway, type GatewaySweepOptions, type RequestInfo } from "./gateway.js";
export type { Ledger, UploadRow } from "./ledger/types.js";
export type { Principal } from "./principal.js";
export type { SweepReport } from "./sweep/types.js";
export { verifyWebhookSignature } from "./webhook/signature.js";
export type { CompletedBy, WebhookEvent } from "./webhook/types.js";
