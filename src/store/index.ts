export { createFsBackend } from "./backend/fs/backend.js";
export { createMemoryBackend } from "./backend/memory.js";
export type * from "./backend/types.js";
export { S3Error } from "./errors.js";
export {
  DEV_CREDENTIALS,
  type ObjectStoreOptions,
  type StoreCredential,
  type StoreStsOptions,
} from "./options.js";
export { createObjectStore, type ObjectStore } from "./server.js";
export type { TemporaryCredentials } from "./sts/registry.js";
