/**
 * After a reload: a card per unfinished upload the client remembers, "Resume backup.tar (37%
 * stored)". A File does not survive a reload, so resuming asks for the file again and checks it
 * is the same one (name, size, date and content hash: the client's resume key) before going on.
 */
import type { ResumableUpload, Uploader } from "../../src/client/index.js";
import { el } from "./dom.js";
import { formatBytes, percentOf } from "./format.js";

export interface OfferDeps {
  uploader: Uploader;
  announce(text: string): void;
  /** The route's label, or undefined when the gateway no longer offers the route. */
  routeLabel(route: string): string | undefined;
  /** The same file was picked: upload it (the client continues where storage stands). */
  resume(file: File, offer: ResumableUpload): void;
  /** The upload was deleted at the gateway. */
  discarded(offer: ResumableUpload): void;
}

/** "Resume backup.tar (37% stored)": the words of the offer's button. */
export function offerText(offer: ResumableUpload): string {
  return `Resume ${offer.name} (${percentOf(offer.storedBytes, offer.size)}% stored)`;
}

/** One offer's card; `choose()` opens its file picker (the "My uploads" table uses it too). */
export function offerCard(
  deps: OfferDeps,
  offer: ResumableUpload,
): { element: HTMLLIElement; choose(): void } {
  const id = `offer-${offer.id}`;
  const percent = percentOf(offer.storedBytes, offer.size);
  const label = deps.routeLabel(offer.route);
  const picker = el("input", { type: "file", hidden: "", "aria-hidden": "true", tabindex: "-1" });
  const status = el(
    "p",
    { class: "status" },
    label ? "Interrupted before it finished: choose the same file to go on" : "Its kind of upload is gone",
  );
  const resume = el("button", { type: "button", "aria-describedby": `${id}-name` }, offerText(offer));
  const discard = el(
    "button",
    { type: "button", class: "quiet", "aria-describedby": `${id}-name` },
    "Discard",
  );
  resume.disabled = label === undefined;
  const bar = el("progress", { max: "100", value: String(percent), "aria-labelledby": `${id}-name` });
  const stats = el(
    "p",
    { class: "stats" },
    `${percent}% · ${formatBytes(offer.storedBytes)} of ${formatBytes(offer.size)} stored · ${label ?? offer.route}`,
  );
  const ext = offer.name.includes(".") ? offer.name.split(".").pop()!.slice(0, 4) : "file";
  const element = el(
    "li",
    { class: "card offer", "aria-labelledby": `${id}-name` },
    el("div", { class: "thumb", "aria-hidden": "true" }, ext),
    el("div", {}, el("p", { class: "card-name", id: `${id}-name` }, offer.name), bar, stats, status),
    el("div", { class: "actions" }, resume, discard, picker),
  );
  const say = (text: string, bad = false) => {
    status.textContent = text;
    element.classList.toggle("mismatch", bad);
  };

  picker.addEventListener("change", async () => {
    const file = picker.files?.[0];
    picker.value = "";
    if (!file) return;
    say(`Checking that ${file.name} is the file this upload started with…`);
    let same = false;
    try {
      same = await deps.uploader.isSameFile(file, offer);
    } catch (err) {
      say(`${file.name} could not be read: ${(err as Error).message}`, true);
      return;
    }
    if (!same) {
      const text = `${file.name} is not the ${offer.name} this upload started with (its name, size, date or content differ): choose that file`;
      say(text, true);
      deps.announce(text);
      return;
    }
    element.remove();
    deps.resume(file, offer);
  });
  const choose = () => picker.click();
  resume.addEventListener("click", choose);
  discard.addEventListener("click", async () => {
    discard.disabled = true;
    try {
      await deps.uploader.abort(offer.id);
      element.remove();
      deps.announce(`${offer.name}: discarded`);
      deps.discarded(offer);
    } catch (err) {
      discard.disabled = false;
      say(`${offer.name} could not be discarded: ${(err as Error).message}`, true);
    }
  });
  return { element, choose };
}
