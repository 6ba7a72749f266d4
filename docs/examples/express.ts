import express from "express";
import { toNodeHandler } from "../../src/server/node.js";
import { gateway } from "./gateway.js";

export const app = express();

// Body parsers may stay: when one has already read the body, the handler re-serializes req.body.
app.use(express.json());
app.get("/hello", (_req, res) => {
  res.json({ hello: "from express" });
});

// app.all keeps the URL as is (app.use("/v1", ...) would strip the /v1 the gateway routes on).
app.all(["/v1/*path", "/healthz", "/metrics"], toNodeHandler(gateway));
