/** bench:store's server process for upgate's store: createObjectStore on the fs backend. */
import { createObjectStore } from "../src/store/index.js";
import { BENCH_BUCKET, BENCH_CREDENTIALS, BENCH_REGION, readyLine, serverArgs } from "./store-config.js";

const { dataDir, durability } = serverArgs();
const store = createObjectStore({
  dataDir,
  durability,
  credentials: [{ ...BENCH_CREDENTIALS }],
  region: BENCH_REGION,
  buckets: [BENCH_BUCKET],
});
await store.listen(0, "127.0.0.1");
readyLine(store.url);
