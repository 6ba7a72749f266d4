/** Examples import the sources by path; the docs show them with the package's entry points. */
import { dirname, relative, resolve } from "node:path";
import { projectRoot } from "./cli.js";

/** Each entry point of package.json's exports, by the source file it is built from. */
const ENTRY_POINTS: Record<string, string> = {
  "src/core/index.ts": "upgate",
  "src/server/index.ts": "upgate/server",
  "src/server/node.ts": "upgate/node",
  "src/client/index.ts": "upgate/client",
  "src/react/index.ts": "upgate/react",
  "src/uppy/index.ts": "upgate/uppy",
  "src/store/index.ts": "upgate/store",
};

/** `source` (the file at `path`) with each import of an entry point's source written as the package import. */
export function asPublished(source: string, path: string): string {
  return source.replace(/from "(\.[^"]+)"/g, (whole, specifier: string) => {
    const target = relative(projectRoot, resolve(dirname(path), specifier)).replace(/\.js$/, ".ts");
    if (target.startsWith("src/")) {
      const entry = ENTRY_POINTS[target];
      if (!entry) throw new Error(`${path}: ${specifier} is not a public entry point`);
      return `from "${entry}"`;
    }
    return whole;
  });
}

/** The code blocks written as ```ts title="name" (or ```tsx), by title. */
export function titledBlocks(markdown: string): Map<string, string[]> {
  const blocks = new Map<string, string[]>();
  for (const match of markdown.matchAll(/^```tsx? title="([^"]+)"\n([\s\S]*?)^```$/gm)) {
    const [, title, code] = match as unknown as [string, string, string];
    blocks.set(title, [...(blocks.get(title) ?? []), code]);
  }
  return blocks;
}
