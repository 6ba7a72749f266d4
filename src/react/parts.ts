/** What the dropzone and the button share: the hidden file input and the live region. */
import type { ReactNode, RefObject } from "react";
import { React } from "./react.js";
import type { UseUploadResult } from "./use-upload.js";

/**
 * The few DOM members used here, declared (as the client declares IndexedDB's) so this module also
 * type-checks under the Node config, which has no DOM library.
 */
export interface FileInputElement {
  files: ArrayLike<File> | null;
  value: string;
  click(): void;
}

/** Off-screen but read by screen readers (set through the CSSOM, so a strict CSP allows it). */
export const VISUALLY_HIDDEN = {
  position: "absolute",
  width: "1px",
  height: "1px",
  margin: "-1px",
  padding: "0",
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  whiteSpace: "nowrap",
  border: "0",
} as const;

/** A file input nobody sees; the component's button opens it. */
export function hiddenInput(
  upload: UseUploadResult,
  ref: RefObject<FileInputElement | null>,
  multiple: boolean,
): ReactNode {
  return React.createElement("input", {
    key: "input",
    ref: ref as RefObject<HTMLInputElement | null>,
    type: "file",
    hidden: true,
    tabIndex: -1,
    "aria-hidden": true,
    multiple,
    accept: upload.accept,
    onChange: (event: { currentTarget: unknown }) => {
      const input = event.currentTarget as FileInputElement;
      if (input.files && input.files.length > 0) upload.add(Array.from(input.files));
      // The same file picked again is a new choice.
      input.value = "";
    },
  });
}

/** A polite live region with the latest progress milestone, result or error. */
export function liveRegion(upload: UseUploadResult): ReactNode {
  return React.createElement(
    "div",
    { key: "live", role: "status", "aria-live": "polite", style: VISUALLY_HIDDEN },
    upload.announcement.text,
  );
}

/** "uploading", "paused", "done", "failed" or "idle": the upload's status as `data-state`. */
export function stateOf(upload: UseUploadResult, disabled: boolean): string {
  return disabled ? "disabled" : upload.status;
}
