import { describeError, UploadError, type UploadRecord } from "../../src/client/index.js";
import { el } from "./dom.js";
import { formatBytes } from "./format.js";

const STATUS_WORDS: Record<string, string> = {
  pending: "not finished",
  uploaded: "being checked",
  verified: "verified",
  rejected: "rejected",
  expired: "expired",
  aborted: "cancelled",
};

function statusCell(record: UploadRecord): HTMLTableCellElement {
  const badge = el("span", { class: `badge ${record.status}` }, STATUS_WORDS[record.status] ?? record.status);
  const cell = el("td", {}, badge);
  if (record.status === "rejected" && record.reason) {
    // The client's words for the gateway's reason code ("the file changed while uploading", ...).
    const words = describeError(new UploadError("GATEWAY", record.reason, { serverCode: record.reason }));
    cell.append(" ", el("span", { class: "hint" }, words));
  }
  return cell;
}

/** The "my uploads" table; verified files get a download link handled by `onDownload`. */
export function renderUploads(
  body: HTMLTableSectionElement,
  records: UploadRecord[],
  labels: ReadonlyMap<string, string>,
  onDownload: (record: UploadRecord) => void,
): void {
  const rows = records.map((record) => {
    const download = el("td");
    if (record.status === "verified") {
      const link = el(
        "a",
        { href: `/v1/files/${encodeURIComponent(record.id)}`, "data-id": record.id },
        "Download",
        el("span", { class: "visually-hidden" }, ` ${record.name}`),
      );
      link.addEventListener("click", (event) => {
        event.preventDefault();
        onDownload(record);
      });
      download.append(link);
    }
    return el(
      "tr",
      {},
      el("td", {}, record.name),
      el("td", {}, labels.get(record.route) ?? record.route),
      el("td", { class: "num" }, formatBytes(record.size)),
      statusCell(record),
      el("td", { class: "num" }, new Date(record.createdAt).toLocaleString()),
      download,
    );
  });
  body.replaceChildren(...rows);
}
