import type { RouteConfig } from "../../src/server/index.js";

/**
 * The example's routes: `upgate dev --config examples/react/upgate.config.ts` serves them. The
 * React app imports only this file's type, so a wrong route name there is a type error.
 */
const config = {
  routes: {
    images: { label: "Images", types: ["image/png", "image/jpeg", "image/webp"], maxSize: "10MB" },
    documents: {
      label: "Documents",
      types: ["application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
      maxSize: "25MB",
    },
    archives: {
      label: "Large files",
      types: ["*/*"],
      maxSize: "2GB",
      strategy: "multipart",
      partSize: "8MB",
    },
  } satisfies Record<string, RouteConfig>,
};

export default config;
