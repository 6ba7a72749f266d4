export { AWS_CHAIN_PACKAGE, loadAwsChain } from "./aws-chain.js";
export { CredentialsError } from "./errors.js";
export { type CredentialSourceOptions, createCredentialSource, DEFAULT_REFRESH_MARGIN_MS } from "./source.js";
export type * from "./types.js";
