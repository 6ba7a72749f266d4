import { createUpgateClient } from "../../../src/react/index.js";
import type config from "../upgate.config.js";
import { token } from "./session.js";

/** The upgate client for this app: route names come from the server config's type. */
export const upgate = createUpgateClient<typeof config>({
  endpoint: location.origin,
  headers: async () => ({ authorization: `Bearer ${await token()}` }),
});
