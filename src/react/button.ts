/**
 * <UploadButton upload={upload}>: a headless "choose files" button with `data-state` for styling
 * and a live region. Children may be a function of the state (render prop); by default it says
 * what is happening ("Uploading 42%").
 */
import type { ReactNode } from "react";
import { type FileInputElement, hiddenInput, liveRegion, stateOf } from "./parts.js";
import { React } from "./react.js";
import type { UseUploadResult } from "./use-upload.js";

export interface ButtonRenderProps {
  state: string;
  upload: UseUploadResult;
}

export interface UploadButtonProps {
  upload: UseUploadResult;
  children?: ReactNode | ((props: ButtonRenderProps) => ReactNode);
  className?: string;
  disabled?: boolean;
  single?: boolean;
  /** Render the live region (default true). */
  announce?: boolean;
}

function words(upload: UseUploadResult, single: boolean): string {
  const percent = Math.floor(upload.total.percent);
  if (upload.status === "uploading") return `Uploading ${percent}%`;
  if (upload.status === "paused") return `Paused at ${percent}%`;
  return single ? "Choose a file" : "Choose files";
}

export function UploadButton(props: UploadButtonProps): ReactNode {
  const { upload, disabled = false, single = false } = props;
  const input = React.useRef<FileInputElement>(null);
  const state = stateOf(upload, disabled);
  const render = props.children;
  const content =
    typeof render === "function" ? render({ state, upload }) : (render ?? words(upload, single));
  return [
    React.createElement(
      "button",
      {
        key: "button",
        type: "button",
        className: props.className,
        disabled,
        "data-state": state,
        title: upload.rules || undefined,
        onClick: () => input.current?.click(),
      },
      content,
    ),
    hiddenInput(upload, input, !single),
    props.announce === false ? null : liveRegion(upload),
  ];
}
