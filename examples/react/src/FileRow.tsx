import { formatSize } from "../../../src/client/index.js";
import type { UploadItem, UseUploadResult } from "../../../src/react/index.js";

const WORDS: Record<UploadItem["state"], string> = {
  queued: "Waiting",
  hashing: "Preparing",
  uploading: "Uploading",
  paused: "Paused",
  verifying: "Checking",
  done: "Uploaded and verified",
  failed: "Failed",
  cancelled: "Cancelled",
};

function speed(item: UploadItem): string {
  if (item.state !== "uploading" || item.rate <= 0) return "";
  const left = item.secondsLeft === undefined ? "" : `, ${item.secondsLeft} s left`;
  return `${formatSize(item.rate)}/s${left}`;
}

export function FileRow({ item, upload }: { item: UploadItem; upload: UseUploadResult }) {
  const percent = Math.floor(item.percent);
  return (
    <li className="file" data-state={item.state} data-percent={percent}>
      <div className="file-head">
        <span className="file-name">{item.name}</span>
        <span className="file-size">{formatSize(item.total)}</span>
      </div>
      {item.state !== "failed" && item.state !== "cancelled" && (
        <progress max={100} value={percent} aria-label={`${item.name} uploaded`} />
      )}
      <div className="file-foot">
        <span className="status">
          {WORDS[item.state]}
          {item.state === "uploading" || item.state === "paused" ? ` ${percent}%` : ""}
        </span>
        <span className="speed">{speed(item)}</span>
      </div>
      {item.error && <p className="error">{item.error}</p>}
      <div className="actions">
        {["hashing", "uploading", "verifying"].includes(item.state) && (
          <button type="button" onClick={() => upload.pause(item.id)} aria-label={`Pause ${item.name}`}>
            Pause
          </button>
        )}
        {item.state === "paused" && (
          <button type="button" onClick={() => upload.resume(item.id)} aria-label={`Resume ${item.name}`}>
            Resume
          </button>
        )}
        {["queued", "hashing", "uploading", "paused", "verifying"].includes(item.state) && (
          <button type="button" onClick={() => upload.cancel(item.id)} aria-label={`Cancel ${item.name}`}>
            Cancel
          </button>
        )}
        {(item.state === "failed" || item.state === "cancelled") && (
          <button type="button" onClick={() => upload.retry(item.id)} aria-label={`Retry ${item.name}`}>
            Retry
          </button>
        )}
      </div>
    </li>
  );
}
