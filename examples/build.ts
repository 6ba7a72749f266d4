/**
 * Bundles an example app with esbuild: <example>/src/main.tsx or main.ts (React's automatic JSX)
 * into <out>/main.js (and main.css for CSS it imports), beside the example's index.html and
 * styles.css. `npx tsx examples/build.ts react`
 * writes examples/react/dist, which `upgate dev --web-dir` serves.
 */
import { access, copyFile, mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

export const EXAMPLES = dirname(fileURLToPath(import.meta.url));

export interface BuiltExample {
  dir: string;
  /** main.js's size in bytes. */
  bytes: number;
}

export async function buildExample(
  name: string,
  outDir = join(EXAMPLES, name, "dist"),
): Promise<BuiltExample> {
  const source = join(EXAMPLES, name);
  const out = resolve(outDir);
  await mkdir(out, { recursive: true });
  const tsx = join(source, "src", "main.tsx");
  const entry = await access(tsx).then(
    () => tsx,
    () => join(source, "src", "main.ts"),
  );
  const result = await build({
    entryPoints: [entry],
    outfile: join(out, "main.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    jsx: "automatic",
    define: { "process.env.NODE_ENV": '"production"' },
    sourcemap: true,
    minify: true,
    metafile: true,
    logLevel: "warning",
  });
  await Promise.all(
    ["index.html", "styles.css"].map((file) => copyFile(join(source, file), join(out, file))),
  );
  return {
    dir: out,
    bytes:
      result.metafile.outputs[Object.keys(result.metafile.outputs).find((k) => k.endsWith("main.js"))!]!
        .bytes,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const name = process.argv[2];
  if (!name) {
    console.error("usage: npx tsx examples/build.ts <example> [out-dir]");
    process.exit(2);
  }
  const built = await buildExample(name, process.argv[3]);
  console.log(`${name} example built in ${built.dir} (main.js ${(built.bytes / 1024).toFixed(1)} KB)`);
}
