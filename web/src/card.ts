import type { UploadProgress, UploadRecord } from "../../src/client/index.js";
import { el } from "./dom.js";
import { formatBytes, formatRate, percentOf, timeLeft } from "./format.js";

export interface CardActions {
  pause(): void;
  resume(): void;
  cancel(): void;
}

let cards = 0;

/** One file's card: name, progress bar, speed, time left, status, and pause, resume and cancel. */
export class Card {
  readonly element: HTMLLIElement;
  private readonly bar: HTMLProgressElement;
  private readonly stats: HTMLParagraphElement;
  private readonly status: HTMLParagraphElement;
  private readonly thumb: HTMLDivElement;
  private readonly pauseButton: HTMLButtonElement;
  private readonly resumeButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;

  constructor(
    readonly file: File,
    private readonly routeLabel: string,
    actions: CardActions,
  ) {
    const id = `card-${++cards}`;
    const button = (text: string, action: () => void) => {
      const b = el("button", { type: "button", class: "quiet", "aria-describedby": `${id}-name` }, text);
      b.addEventListener("click", action);
      return b;
    };
    this.pauseButton = button("Pause", actions.pause);
    this.resumeButton = button("Resume", actions.resume);
    this.cancelButton = button("Cancel", actions.cancel);
    this.resumeButton.hidden = true;
    this.bar = el("progress", { max: "100", value: "0", "aria-labelledby": `${id}-name` });
    this.stats = el("p", { class: "stats" }, `${formatBytes(file.size)} · ${routeLabel}`);
    this.status = el("p", { class: "status" });
    const ext = file.name.includes(".") ? file.name.split(".").pop()!.slice(0, 4) : "file";
    this.thumb = el("div", { class: "thumb", "aria-hidden": "true" }, ext);
    const body = el("div", {}, el("p", { class: "card-name", id: `${id}-name` }, file.name), this.bar);
    body.append(this.stats, this.status);
    const buttons = el("div", { class: "actions" }, this.pauseButton, this.resumeButton, this.cancelButton);
    this.element = el("li", { class: "card", "aria-labelledby": `${id}-name` }, this.thumb, body, buttons);
  }

  /** A resumed upload: the bar starts at what storage already holds, not at 0. */
  resumeFrom(storedBytes: number): void {
    const total = this.file.size;
    this.bar.value = percentOf(storedBytes, total);
    this.stats.textContent = `${percentOf(storedBytes, total)}% · ${formatBytes(storedBytes)} of ${formatBytes(total)} stored · ${this.routeLabel}`;
  }

  waiting(): void {
    this.say("Waiting for another upload to finish");
    this.pauseButton.disabled = true;
  }

  progress(p: UploadProgress): void {
    // This file's turn has come (big multipart files skip the hashing phase).
    this.pauseButton.disabled = false;
    if (p.phase === "hashing") {
      const percent = p.total > 0 ? Math.floor((p.hashed / p.total) * 100) : 100;
      this.say(`Checking the file before sending: ${percent}%`);
      return;
    }
    this.bar.value = Math.floor(p.percent);
    const left = timeLeft(p.loaded, p.total, p.rate);
    const parts = [
      `${Math.floor(p.percent)}%`,
      `${formatBytes(p.loaded)} of ${formatBytes(p.total)}`,
      formatRate(p.rate),
    ];
    if (left) parts.push(`${left} left`);
    this.stats.textContent = parts.join(" · ");
    if (p.phase === "verifying") this.say("Verifying with the server");
    else if (!this.resumeButton.hidden) this.say("Paused");
    else this.say("Uploading");
  }

  paused(on: boolean): void {
    this.pauseButton.hidden = on;
    this.resumeButton.hidden = !on;
    this.say(on ? "Paused" : "Uploading");
    (on ? this.resumeButton : this.pauseButton).focus();
  }

  verified(record: UploadRecord): void {
    this.finish("verified");
    this.bar.value = 100;
    this.stats.textContent = `${formatBytes(record.size)} · ${record.type}`;
    this.say("Uploaded and verified");
  }

  thumbnail(url: string): void {
    const img = el("img", { src: url, alt: `Thumbnail of ${this.file.name}` });
    this.thumb.replaceChildren(img);
    this.thumb.removeAttribute("aria-hidden");
  }

  /** Refused or rejected: the bar goes (a full bar would say it worked), the message stays. */
  failed(message: string): void {
    this.finish("failed");
    this.bar.hidden = true;
    this.stats.textContent = `${formatBytes(this.file.size)} · ${this.routeLabel}`;
    this.say(message);
  }

  cancelled(): void {
    this.finish("cancelled");
    this.bar.hidden = true;
    this.stats.textContent = `${formatBytes(this.file.size)} · ${this.routeLabel}`;
    this.say("Upload cancelled");
  }

  private finish(state: string): void {
    this.element.classList.add(state);
    this.pauseButton.hidden = true;
    this.resumeButton.hidden = true;
    this.cancelButton.hidden = true;
  }

  private say(text: string): void {
    if (this.status.textContent !== text) this.status.textContent = text;
  }
}
