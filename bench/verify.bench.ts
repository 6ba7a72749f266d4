/**
 * bench:verify: the bytes the gateway reads from storage per verified GiB, counted at the wire by a
 * proxy between the gateway and storage (test/support/counting-proxy.ts), never by the gateway's
 * own bookkeeping.
 *
 * Rows: a single PUT and a multipart upload per checksum algorithm, on
 * - the embedded store, which keeps checksums (HEAD with x-amz-checksum-mode returns them): goal
 *   <= 64 KiB per verified GiB, the magic-byte sniff's ranged GET (4100 bytes) and nothing else;
 * - the same store behind a proxy that drops every object checksum from its answers, as Ceph RGW 16
 *   answers: the gateway must stream and hash everything (the baseline: what completion read before
 *   storage kept checksums), about 1 GiB per GiB;
 * - Ceph RGW itself when UPGATE_TEST_RGW_URL (and its keys) are set: it keeps no checksum, so it streams.
 * The ratio column is the baseline's bytes over the row's, measured in this run. The sniff is a fixed
 * 4100 bytes per file, so the figure per GiB falls as files grow: the default 256 MiB files are the
 * multipart sizes the gateway is for (a 64 MiB file already costs 64.06 KiB per GiB).
 *
 *   npm run bench:verify [-- --mib 256]
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import type { RouteChecksumAlgorithm } from "../src/core/protocol.js";
import type { RouteConfig } from "../src/server/config/types.js";
import type { StorageConfig } from "../src/server/storage/types.js";
import { createMemoryBackend, createObjectStore } from "../src/store/index.js";
import { checksumOf, sendParts } from "../test/integ/gateway/signed-parts.js";
import { complete, createUpload, JWT_SECRET, putWith, signToken } from "../test/integ/gateway/support.js";
import { type RgwGateway, startRgwGateway } from "../test/rgw/gateway.js";
import { startCountingProxy } from "../test/support/counting-proxy.js";
import { TEST_BUCKET, TEST_CREDENTIALS, TEST_REGION } from "../test/support/store-fixture.js";

const { values: args } = parseArgs({
  options: { "put-mib": { type: "string", default: "96" }, "mp-mib": { type: "string", default: "256" } },
});
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** File sizes: a big single PUT (the embedded store resets PUTs with a checksum from 128 MiB) and a multipart upload. */
const SIZES = { put: Number(args["put-mib"]) * MiB, mp: Number(args["mp-mib"]) * MiB };
const PART = 16 * MiB;
const GOAL = 64 * 1024;
const ALGORITHMS: RouteChecksumAlgorithm[] = ["sha256", "crc64nvme", "crc32c"];
const OCTETS = "application/octet-stream";

const routes: Record<string, RouteConfig> = Object.fromEntries(
  ALGORITHMS.flatMap((algorithm) => [
    [
      `put-${algorithm}`,
      { types: [OCTETS], maxSize: "5GB", strategy: "put" as const, checksum: { algorithm } },
    ],
    [
      `mp-${algorithm}`,
      {
        types: [OCTETS],
        maxSize: "5GB",
        strategy: "multipart" as const,
        partSize: PART,
        checksum: { algorithm },
      },
    ],
  ]),
);

interface Row {
  backend: string;
  size: number;
  upload: string;
  algorithm: RouteChecksumAlgorithm;
  verifiedBy: string;
  objectBytes: number;
  allBytes: number;
}

/** Uploads one file through `g` and completes it; returns what the proxy counted during the complete. */
async function verifyOne(
  g: RgwGateway,
  reads: { reset(): void; reads: { bytes: number; objectBytes: number } },
  token: string,
  strategy: "put" | "mp",
  algorithm: RouteChecksumAlgorithm,
  data: Uint8Array,
): Promise<{ objectBytes: number; allBytes: number; verifiedBy: string }> {
  const whole = await checksumOf(algorithm, data);
  const declared = strategy === "put" ? { [algorithm]: whole } : {};
  const { res, body } = await createUpload(g, token, `${strategy}-${algorithm}`, {
    name: "bench.bin",
    type: OCTETS,
    size: data.length,
    ...declared,
  });
  if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(body)}`);
  const [upload] = body.uploads;
  let completeBody: Record<string, unknown> = {};
  if (strategy === "put") {
    const put = await putWith(upload, data);
    if (put.status !== 200) throw new Error(`PUT: ${put.status} ${await put.text()}`);
  } else {
    const parts = await sendParts(g, token, upload, data);
    completeBody = { parts, ...(algorithm === "sha256" ? {} : { [algorithm]: whole }) };
  }
  reads.reset();
  const done = await complete(g, token, upload.id, completeBody);
  if (done.res.status !== 200) throw new Error(`complete: ${done.res.status} ${JSON.stringify(done.body)}`);
  const { objectBytes, bytes: allBytes } = reads.reads;
  // The next file should not pile up in the store's memory.
  await g.gateway.storage.delete(upload.key);
  // Who vouched for the checksum: the gateway reads the object only when storage kept none.
  return {
    objectBytes,
    allBytes,
    verifiedBy: objectBytes > data.length / 2 ? "gateway (streamed)" : "storage",
  };
}

async function runBackend(name: string, storage: StorageConfig, strip: boolean, rows: Row[]): Promise<void> {
  const proxy = await startCountingProxy(storage.endpoint, { stripChecksums: strip });
  const g = startRgwGateway(
    { ...storage, endpoint: proxy.url },
    { auth: { jwt: { secret: JWT_SECRET } }, routes },
  );
  const token = await signToken("bench");
  try {
    for (const strategy of ["put", "mp"] as const) {
      const data = new Uint8Array(randomBytes(SIZES[strategy]));
      for (const algorithm of ALGORITHMS) {
        const r = await verifyOne(g, proxy, token, strategy, algorithm, data);
        const upload = strategy === "put" ? "PUT" : "multipart";
        rows.push({ backend: name, size: data.length, upload, algorithm, ...r });
      }
    }
  } finally {
    await g.close();
    await proxy.close();
  }
}

async function rgwStorage(): Promise<StorageConfig | undefined> {
  const endpoint = process.env.UPGATE_TEST_RGW_URL;
  const accessKeyId = process.env.UPGATE_TEST_RGW_ACCESS_KEY;
  const secretAccessKey = process.env.UPGATE_TEST_RGW_SECRET_KEY;
  if (!endpoint || !accessKeyId || !secretAccessKey) return undefined;
  const region = process.env.UPGATE_TEST_RGW_REGION || "us-east-1";
  const bucket = `upgate-bench-verify-${randomBytes(4).toString("hex")}`;
  const s3 = new S3Client({
    endpoint,
    region,
    credentials: { accessKeyId, secretAccessKey },
    forcePathStyle: true,
  });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } finally {
    s3.destroy();
  }
  return { endpoint, region, bucket, credentials: { accessKeyId, secretAccessKey }, forcePathStyle: true };
}

const perGiB = (bytes: number, size: number) => (bytes * GiB) / size;
const kib = (bytes: number) =>
  bytes >= MiB * 10 ? `${(bytes / MiB).toFixed(0)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;

async function main(): Promise<void> {
  const store = createObjectStore({
    backend: createMemoryBackend(),
    credentials: [{ ...TEST_CREDENTIALS }],
    buckets: [TEST_BUCKET],
    region: TEST_REGION,
  });
  await store.listen(0, "127.0.0.1");
  const embedded: StorageConfig = {
    endpoint: store.url,
    region: TEST_REGION,
    bucket: TEST_BUCKET,
    credentials: { ...TEST_CREDENTIALS },
    forcePathStyle: true,
  };
  const rows: Row[] = [];
  try {
    await runBackend("embedded store", embedded, false, rows);
    await runBackend("no checksums (emulated RGW 16)", embedded, true, rows);
    const rgw = await rgwStorage();
    if (rgw) await runBackend("Ceph RGW 16", rgw, false, rows);
    else console.log("(Ceph RGW rows skipped: UPGATE_TEST_RGW_URL is not set)");
  } finally {
    await store.close();
  }

  console.log(
    `\nbench:verify — bytes the gateway reads from storage per verified GiB (PUT ${SIZES.put / MiB} MiB, multipart ${SIZES.mp / MiB} MiB in ${PART / MiB} MiB parts)`,
  );
  console.log(
    "counted at the wire (a proxy between gateway and storage); object = GETs of the object, all = every response body\n",
  );
  const baseline = new Map(
    rows
      .filter((r) => r.backend.startsWith("no checksums"))
      .map((r) => [`${r.upload}/${r.algorithm}`, r.objectBytes]),
  );
  const header = [
    "backend",
    "upload",
    "algorithm",
    "checksum verified by",
    "object/GiB",
    "all/GiB",
    "vs streaming",
    "goal",
  ];
  const lines = rows.map((r) => {
    const streamed = baseline.get(`${r.upload}/${r.algorithm}`) ?? 0;
    const goal =
      r.backend === "embedded store"
        ? perGiB(r.allBytes, r.size) <= GOAL
          ? "≤ 64 KiB: met"
          : "≤ 64 KiB: MISSED"
        : "streams (no checksum kept)";
    return [
      r.backend,
      r.upload,
      r.algorithm,
      r.verifiedBy,
      kib(perGiB(r.objectBytes, r.size)),
      kib(perGiB(r.allBytes, r.size)),
      r.objectBytes > 0 ? `${(streamed / r.objectBytes).toFixed(0)}x fewer` : "n/a",
      goal,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  console.log(format(header));
  for (const line of lines) console.log(format(line));
  const missed = rows.filter((r) => r.backend === "embedded store" && perGiB(r.allBytes, r.size) > GOAL);
  if (missed.length > 0) process.exitCode = 1;
}

await main();
