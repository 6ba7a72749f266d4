/**
 * Builds the demo page into web/dist (or `outDir`): web/src/main.ts bundled with esbuild (it
 * imports the client from ../src/client), plus index.html, styles.css and favicon.svg. `npm run build:web`.
 */
import { copyFile, mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const WEB = dirname(fileURLToPath(import.meta.url));
export const WEB_DIST = join(WEB, "dist");

export async function buildWeb(outDir: string = WEB_DIST): Promise<string> {
  const out = resolve(outDir);
  await mkdir(out, { recursive: true });
  await build({
    entryPoints: [join(WEB, "src", "main.ts")],
    outfile: join(out, "main.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    sourcemap: true,
    minify: true,
    logLevel: "warning",
  });
  await Promise.all(
    ["index.html", "styles.css", "favicon.svg"].map((name) => copyFile(join(WEB, name), join(out, name))),
  );
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = await buildWeb(process.argv[2]);
  console.log(`demo page built in ${out}`);
}
