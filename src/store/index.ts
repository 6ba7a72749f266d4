/** `upgate/store`: the embedded S3-compatible object store, as docs/store.md documents it. */
export { createMemoryBackend } from "./backend/memory.js";
export type * from "./backend/types.js";
export {
  DEV_CREDENTIALS,
  type ObjectStoreOptions,
  type StoreCredential,
  type StoreStsOptions,
} from "./options.js";
export { createObjectStore, type ObjectStore } from "./server.js";
export type { TemporaryCredentials } from "./sts/registry.js";
