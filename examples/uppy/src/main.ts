import "@uppy/core/css/style.min.css";
import "@uppy/dashboard/css/style.min.css";
import { routeUploader } from "./uploader.js";

const uppys = {
  documents: routeUploader("documents", "#documents"),
  archives: routeUploader("archives", "#archives"),
};
// For the browser console (and the example's test): window.uppy.archives.getFiles().
Object.assign(globalThis, { uppy: uppys });
