// node --import ./test/support/hide-package.mjs: the package named by UPGATE_TEST_HIDDEN_PACKAGE
// cannot be found, as in a project that did not install it (Node's own ERR_MODULE_NOT_FOUND).
import { register } from "node:module";

register("./hide-package-hooks.mjs", import.meta.url);
