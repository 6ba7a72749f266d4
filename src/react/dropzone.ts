/**
 * <UploadDropzone upload={upload}>: a headless drop target. A native button (so Enter and Space
 * open the file picker), described by the route's rules, with `data-state` ("idle", "dragging",
 * "uploading", "paused", "done", "failed", "disabled") for styling and a live region announcing
 * progress and results. Children may be a function of the state (render prop).
 */
import type { ReactNode } from "react";
import { type FileInputElement, hiddenInput, liveRegion, stateOf, VISUALLY_HIDDEN } from "./parts.js";
import { React } from "./react.js";
import type { UseUploadResult } from "./use-upload.js";

/** The part of a drag event used here (see FileInputElement for why it is declared). */
interface DragLike {
  preventDefault(): void;
  dataTransfer: { files?: ArrayLike<File>; dropEffect: string } | null;
}

export interface DropzoneRenderProps {
  state: string;
  dragging: boolean;
  upload: UseUploadResult;
  /** Opens the file picker. */
  open(): void;
}

export interface UploadDropzoneProps {
  upload: UseUploadResult;
  children?: ReactNode | ((props: DropzoneRenderProps) => ReactNode);
  className?: string;
  disabled?: boolean;
  /** One file at a time (default: several). */
  single?: boolean;
  /** Render the live region (default true; turn off when another component announces the same upload). */
  announce?: boolean;
}

export function UploadDropzone(props: UploadDropzoneProps): ReactNode {
  const { upload, disabled = false } = props;
  const input = React.useRef<FileInputElement>(null);
  const depth = React.useRef(0);
  const [dragging, setDragging] = React.useState(false);
  const rulesId = React.useId();
  const open = () => input.current?.click();
  const state = dragging && !disabled ? "dragging" : stateOf(upload, disabled);
  const drag = (delta: number) => (event: DragLike) => {
    event.preventDefault();
    depth.current = Math.max(0, depth.current + delta);
    setDragging(depth.current > 0);
  };
  const render = props.children;
  const content =
    typeof render === "function"
      ? render({ state, dragging, upload, open })
      : (render ?? "Drop files here, or press Enter to choose files");
  return [
    React.createElement(
      "button",
      {
        key: "zone",
        type: "button",
        className: props.className,
        disabled,
        "data-state": state,
        "aria-describedby": upload.rules ? rulesId : undefined,
        onClick: open,
        onDragEnter: drag(1),
        onDragLeave: drag(-1),
        onDragOver: (event: DragLike) => {
          event.preventDefault();
          if (event.dataTransfer) event.dataTransfer.dropEffect = disabled ? "none" : "copy";
        },
        onDrop: (event: DragLike) => {
          event.preventDefault();
          depth.current = 0;
          setDragging(false);
          const files = event.dataTransfer?.files;
          if (!disabled && files && files.length > 0)
            upload.add(Array.from(files).slice(0, props.single ? 1 : undefined));
        },
      },
      content,
      upload.rules
        ? React.createElement("span", { id: rulesId, style: VISUALLY_HIDDEN }, upload.rules)
        : null,
    ),
    hiddenInput(upload, input, !props.single),
    props.announce === false ? null : liveRegion(upload),
  ];
}
