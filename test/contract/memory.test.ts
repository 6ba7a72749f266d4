import { createMemoryBackend } from "../../src/store/backend/memory.js";
import { defineBackendContract } from "./backend.contract.js";

defineBackendContract("memory", async () => ({ backend: createMemoryBackend(), dispose: async () => {} }));
