/**
 * A store in its own process, for tests that kill it:
 *
 *   node --import tsx store-child.ts <dataDir> <bucket> [fsync|none]
 *
 * starts createObjectStore with the filesystem backend on 127.0.0.1, port 0, with the credentials in
 * UPGATE_STORE_ACCESS_KEY / UPGATE_STORE_SECRET_KEY, creates <bucket> if missing, and prints
 * {"url": "..."} on one line of stdout once it listens. It runs until killed.
 */
import { createObjectStore } from "../../src/store/index.js";

const [dataDir, bucket, durability = "fsync"] = process.argv.slice(2);
const accessKeyId = process.env.UPGATE_STORE_ACCESS_KEY;
const secretAccessKey = process.env.UPGATE_STORE_SECRET_KEY;
if (
  !dataDir ||
  !bucket ||
  (durability !== "fsync" && durability !== "none") ||
  !accessKeyId ||
  !secretAccessKey
) {
  console.error(
    "usage: UPGATE_STORE_ACCESS_KEY=.. UPGATE_STORE_SECRET_KEY=.. store-child.ts <dataDir> <bucket> [fsync|none]",
  );
  process.exit(2);
}

const store = createObjectStore({
  dataDir,
  durability,
  credentials: [{ accessKeyId, secretAccessKey }],
  buckets: [bucket],
});
await store.listen(0, "127.0.0.1");
process.stdout.write(`${JSON.stringify({ url: store.url })}\n`);
