import { createServer } from "node:http";
import { toNodeHandler } from "../../src/server/node.js";
import { gateway } from "./gateway.js";

// Every request goes to the gateway: /v1/*, /healthz and /metrics, with its own 404 for the rest.
export const server = createServer(toNodeHandler(gateway));
