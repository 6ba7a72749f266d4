import express from "express";
import { verifyWebhookSignature } from "../../src/server/webhook/index.js";

export const app = express();

/** Event ids already handled: retries repeat the id, so a receiver acts on each event once. */
const handled = new Set<string>();

// The signature covers the exact bytes sent: read the body raw, verify, and only then parse it.
app.post("/hooks/upgate", express.raw({ type: "application/json" }), async (req, res) => {
  const secret = process.env.UPGATE_WEBHOOK_SECRET ?? "";
  const check = await verifyWebhookSignature(secret, req.get("upgate-signature"), req.body);
  if (!check.ok) {
    res.status(400).json({ error: check.reason });
    return;
  }
  const event = JSON.parse(req.body.toString("utf8"));
  const duplicate = handled.has(event.id);
  handled.add(event.id);
  // Act on event.upload (id, key, size, type, sha256) here, unless it is a duplicate.
  res.json({ received: event.id, duplicate });
});
