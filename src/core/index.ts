/**
 * `upgate`: the error table and the JSON wire types the gateway and the client share (docs/errors.md,
 * docs/api.md). The SigV4 engine is `upgate/sigv4`; everything else in core is internal.
 */
export { ERROR_CODES, type ErrorBody, type ErrorCode, UpgateError } from "./errors.js";
export type * from "./protocol.js";
