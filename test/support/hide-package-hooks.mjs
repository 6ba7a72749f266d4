import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const hidden = process.env.UPGATE_TEST_HIDDEN_PACKAGE;
// A module in a folder with no node_modules above it: resolving from there fails as Node fails.
const nowhere = pathToFileURL(join(tmpdir(), "upgate-hidden-package", "importer.mjs")).href;

export async function resolve(specifier, context, nextResolve) {
  if (hidden && (specifier === hidden || specifier.startsWith(`${hidden}/`))) {
    return nextResolve(specifier, { ...context, parentURL: nowhere });
  }
  return nextResolve(specifier, context);
}
