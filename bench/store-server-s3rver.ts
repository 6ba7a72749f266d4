/** bench:store's server process for s3rver (which never fsyncs, whatever the durability asked). */
import S3rver from "s3rver";
import { BENCH_BUCKET, readyLine, serverArgs } from "./store-config.js";

const { dataDir } = serverArgs();
const server = new S3rver({
  address: "127.0.0.1",
  port: 0,
  silent: true,
  directory: dataDir,
  configureBuckets: [{ name: BENCH_BUCKET, configs: [] }],
});
const { port } = await server.run();
readyLine(`http://127.0.0.1:${port}`);
