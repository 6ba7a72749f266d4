import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono } from "hono";
import { gateway } from "./gateway.js";

export const app = new Hono();

app.get("/hello", (c) => c.json({ hello: "from hono" }));

// Hono hands over the WHATWG Request as is; the gateway answers with a Response.
for (const path of ["/v1/*", "/healthz", "/metrics"]) {
  app.all(path, (c) => gateway.fetch(c.req.raw, { clientIp: getConnInfo(c).remote.address }));
}
