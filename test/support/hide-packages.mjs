/**
 * `node --import ./hide-packages.mjs` with UPGATE_TEST_HIDE_PACKAGES="better-sqlite3,pg": those
 * packages resolve as if from an empty folder, so importing them fails with Node's own
 * ERR_MODULE_NOT_FOUND, as in a project where they are not installed.
 */
import { register } from "node:module";

const hidden = (process.env.UPGATE_TEST_HIDE_PACKAGES ?? "").split(",").filter(Boolean);
register("./hide-packages-hooks.mjs", import.meta.url, { data: { hidden } });
