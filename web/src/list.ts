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
  const cell = el("td", { "data-label": "Status" }, badge);
  if (record.status === "rejected" && record.reason) {
    // The client's words for the gateway's reason code ("the file changed while uploading", ...).
    const words = describeError(new UploadError("GATEWAY", record.reason, { serverCode: record.reason }));
    cell.append(" ", el("span", { class: "hint" }, words));
  }
  return cell;
}

export interface ListActions {
  download(record: UploadRecord): void;
  remove(record: UploadRecord): void;
  /** For an unfinished upload this browser can continue: what its Resume button does. */
  resumer(record: UploadRecord): (() => void) | undefined;
}

function button(text: string, name: string, action: () => void): HTMLButtonElement {
  const b = el(
    "button",
    { type: "button", class: "quiet small" },
    text,
    el("span", { class: "visually-hidden" }, ` ${name}`),
  );
  b.addEventListener("click", action);
  return b;
}

/**
 * The "my uploads" table: deleted and cancelled uploads are left out; verified files get a
 * download link, unfinished ones a Resume button when this browser can continue them, and every
 * row a Delete button.
 */
export function renderUploads(
  body: HTMLTableSectionElement,
  records: UploadRecord[],
  labels: ReadonlyMap<string, string>,
  actions: ListActions,
): UploadRecord[] {
  const shown = records.filter((record) => record.status !== "aborted");
  const rows = shown.map((record) => {
    const cell = el("div", { class: "row-actions" });
    if (record.status === "verified") {
      const link = el(
        "a",
        { href: `/v1/files/${encodeURIComponent(record.id)}`, "data-id": record.id },
        "Download",
        el("span", { class: "visually-hidden" }, ` ${record.name}`),
      );
      link.addEventListener("click", (event) => {
        event.preventDefault();
        actions.download(record);
      });
      cell.append(link);
    }
    const resume = record.status === "pending" ? actions.resumer(record) : undefined;
    if (resume) cell.append(button("Resume", record.name, resume));
    cell.append(button("Delete", record.name, () => actions.remove(record)));
    return el(
      "tr",
      { "data-id": record.id },
      el("td", { "data-label": "File", class: "file" }, record.name),
      el("td", { "data-label": "Kind" }, labels.get(record.route) ?? record.route),
      el("td", { "data-label": "Size", class: "num" }, formatBytes(record.size)),
      statusCell(record),
      el("td", { "data-label": "Uploaded", class: "num" }, new Date(record.createdAt).toLocaleString()),
      el("td", {}, cell),
    );
  });
  body.replaceChildren(...rows);
  return shown;
}
