/** Module hooks for hide-packages.mjs: a hidden package is resolved from the filesystem root, where it is not. */
let hidden = new Set();
const NOWHERE = "file:///upgate-test-no-packages-here/index.mjs";

export function initialize(data) {
  hidden = new Set(data.hidden);
}

export function resolve(specifier, context, nextResolve) {
  const name = specifier.startsWith("@")
    ? specifier.split("/").slice(0, 2).join("/")
    : specifier.split("/")[0];
  if (hidden.has(name)) return nextResolve(specifier, { ...context, parentURL: NOWHERE });
  return nextResolve(specifier, context);
}
