/**
 * upgate/react: useUpload and headless <UploadDropzone> and <UploadButton> on upgate/client, with
 * route names typed from the server's config. react is an optional peer dependency.
 */
export { type ButtonRenderProps, UploadButton, type UploadButtonProps } from "./button.js";
export {
  createUpgateClient,
  type RouteName,
  type RoutesConfig,
  type UpgateClient,
  type UpgateClientOptions,
} from "./client.js";
export { type DropzoneRenderProps, UploadDropzone, type UploadDropzoneProps } from "./dropzone.js";
export type { ResumeOffer } from "./offers.js";
export { acceptFor, rulesFor } from "./route-info.js";
export type {
  FileState,
  UploadItem,
  UploadSnapshot,
  UploadStatus,
  UploadTotals,
} from "./types.js";
export type { UseUploadOptions, UseUploadResult } from "./use-upload.js";
