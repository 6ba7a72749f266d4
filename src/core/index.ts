export { ERROR_CODES, type ErrorBody, type ErrorCode, UpgateError } from "./errors.js";
export * from "./sigv4/index.js";
