/** What bench:store's client and its server processes agree on. */
export const BENCH_BUCKET = "bench";
export const BENCH_REGION = "us-east-1";
export const BENCH_CREDENTIALS = {
  accessKeyId: "AKIDUPGATEBENCH00001",
  secretAccessKey: "upgate-bench-secret/0123456789abcdef",
} as const;
/** s3rver's built-in account, so it gets the same presigned URLs ours does. */
export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

export type ServerKind = "floor" | "ours" | "s3rver";
export type Durability = "fsync" | "none";

/** Each server process prints this line on stdout once it listens. */
export interface ReadyLine {
  url: string;
}

export function readyLine(url: string): void {
  process.stdout.write(`${JSON.stringify({ url } satisfies ReadyLine)}\n`);
}

/** argv of a server process: <dataDir> <durability>. */
export function serverArgs(): { dataDir: string; durability: Durability } {
  const [dataDir, durability] = process.argv.slice(2);
  if (!dataDir || (durability !== "fsync" && durability !== "none")) {
    console.error("usage: <server> <dataDir> <fsync|none>");
    process.exit(2);
  }
  return { dataDir, durability };
}
