import type { RouteConfig } from "../../src/server/index.js";

/** The example's routes: `upgate dev --config examples/uppy/upgate.config.ts` serves them. */
const config = {
  routes: {
    documents: {
      label: "Images and documents",
      types: [
        "image/png",
        "image/jpeg",
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      ],
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
