import Fastify from "fastify";
import { toNodeHandler } from "../../src/server/node.js";
import { gateway } from "./gateway.js";

export const app = Fastify();
const handler = toNodeHandler(gateway);

app.get("/hello", async () => ({ hello: "from fastify" }));

// An encapsulated scope whose only parser leaves the body unread: the gateway streams it from
// request.raw. Routes outside this scope keep Fastify's JSON parser.
app.register(async (upgate) => {
  upgate.removeAllContentTypeParsers();
  upgate.addContentTypeParser("*", (_request, _payload, done) => done(null));
  for (const path of ["/v1/*", "/healthz", "/metrics"]) {
    upgate.all(path, (request, reply) => {
      reply.hijack();
      handler(request.raw, reply.raw);
    });
  }
});
