/** The demo page: sign in as a demo user, upload files through the gateway, see them listed. */
import {
  createUploader,
  describeError,
  type ResumableUpload,
  type UploadRecord,
} from "../../src/client/index.js";
import { createAnnouncer } from "./a11y.js";
import { byId } from "./dom.js";
import { setupDropzone } from "./dropzone.js";
import { blobUrl, downloadUrl, hasThumbnail } from "./files.js";
import { renderUploads } from "./list.js";
import { offerCard } from "./offers.js";
import { createQueue } from "./queue.js";
import { acceptList, type RouteInfo, renderRoutes, routeRules } from "./routes.js";
import { type Session, savedSession, signIn, signOut } from "./session.js";
import { prepareUpload, type UploadDeps } from "./upload.js";

/** Files uploading at once; the others wait their turn. */
const FILES_AT_ONCE = 2;
/**
 * Parts in flight per file. Parallel parts advance together, so a reload loses every part in
 * flight: three streams of the dev routes' 8 MB parts lose at most 24 MB, one part per stream,
 * and every finished part is saved for the resume.
 */
const PARTS_AT_ONCE = 3;

const announce = createAnnouncer(byId("announcer"));
let session: Session | undefined = savedSession();
const auth = (): Record<string, string> => (session ? { authorization: `Bearer ${session.token}` } : {});
const uploader = createUploader({ endpoint: location.origin, headers: auth, concurrency: PARTS_AT_ONCE });
const enqueue = createQueue(FILES_AT_ONCE);
const labels = new Map<string, string>();
let routes: RouteInfo[] = [];
let chosen: (() => RouteInfo) | undefined;
/** Offers on the page, by upload id: "My uploads" gives their rows a Resume button. */
const offers = new Map<string, { offer: ResumableUpload; choose(): void; element: HTMLElement }>();
/** Which sign-in the page was set up for (routes and offers depend on the user). */
let readyFor: string | undefined;

function show(): void {
  const signedIn = session !== undefined;
  byId("sign-in").hidden = signedIn;
  byId("uploader").hidden = !signedIn;
  byId("mine").hidden = !signedIn;
  byId("who").hidden = !signedIn;
  byId("who-name").textContent = session?.user ?? "";
  if (signedIn && readyFor !== session!.token) {
    readyFor = session!.token;
    void enter();
  }
}

/** After sign-in (or a reload signed in): the routes this user may use, resume offers, the list. */
async function enter(): Promise<void> {
  try {
    routes = await uploader.getRoutes({ refresh: true });
  } catch (err) {
    byId("drop-rules").textContent = `The uploader could not start: ${describeError(err)}`;
    return;
  }
  labels.clear();
  for (const route of routes) labels.set(route.name, route.label);
  const picker = byId<HTMLInputElement>("picker");
  chosen = renderRoutes(byId<HTMLFieldSetElement>("routes"), routes, (route) => {
    byId("drop-rules").textContent = `${route.label}: ${routeRules(route)}.`;
    const accept = acceptList(route);
    if (accept === undefined) picker.removeAttribute("accept");
    else picker.accept = accept;
  });
  await refreshOffers();
  await refreshList();
}

async function refreshOffers(): Promise<void> {
  const list = byId("cards");
  for (const { element } of offers.values()) element.remove();
  offers.clear();
  let found: ResumableUpload[];
  try {
    found = await uploader.resumable();
  } catch {
    return;
  }
  for (const offer of found.reverse()) {
    const card = offerCard(
      {
        uploader,
        announce,
        routeLabel: (name) => labels.get(name),
        resume: (file, picked) => {
          offers.delete(picked.id);
          const route = routes.find((r) => r.name === picked.route);
          if (route) startUpload(file, route, picked.storedBytes);
        },
        discarded: (gone) => {
          offers.delete(gone.id);
          void refreshList();
        },
      },
      offer,
    );
    offers.set(offer.id, { offer, choose: card.choose, element: card.element });
    list.prepend(card.element);
  }
  if (found.length > 0) {
    byId("cards-empty").hidden = true;
    announce(`${found.length} unfinished upload${found.length === 1 ? "" : "s"} can be resumed`);
  }
}

async function refreshList(): Promise<void> {
  const status = byId("mine-status");
  try {
    const { uploads } = await uploader.list();
    const shown = renderUploads(byId<HTMLTableSectionElement>("mine-rows"), uploads, labels, {
      download,
      remove,
      resumer: (record) => offers.get(record.id)?.choose,
    });
    status.textContent = shown.length === 0 ? "No uploads yet." : "";
  } catch (err) {
    status.textContent = `Your uploads could not be listed: ${describeError(err)}`;
  }
}

async function download(record: UploadRecord): Promise<void> {
  try {
    window.open(await downloadUrl(uploader.fileUrl(record.id), auth()), "_blank", "noopener");
  } catch (err) {
    announce(`${record.name}: ${(err as Error).message}`);
  }
}

/** Deletes an upload (a verified file, or one not finished); its card or offer goes too. */
async function remove(record: UploadRecord): Promise<void> {
  try {
    await uploader.abort(record.id);
    announce(`${record.name}: deleted`);
  } catch (err) {
    announce(`${record.name} could not be deleted: ${describeError(err)}`);
  }
  if (offers.has(record.id)) await refreshOffers();
  await refreshList();
}

function lostSession(message: string): void {
  signOut();
  session = undefined;
  show();
  byId("sign-in-error").textContent = message;
}

function setupSignIn(): void {
  const form = byId<HTMLFormElement>("sign-in-form");
  const input = byId<HTMLInputElement>("user");
  const error = byId("sign-in-error");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    if (!input.checkValidity()) {
      error.textContent = 'Use 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit.';
      input.focus();
      return;
    }
    try {
      session = await signIn(input.value.trim());
      show();
      announce(`Signed in as ${session.user}`);
      byId("drop").focus();
    } catch (err) {
      error.textContent = `Sign-in failed: ${(err as Error).message}`;
    }
  });
  byId("sign-out").addEventListener("click", () => {
    uploader.pause();
    signOut();
    session = undefined;
    show();
    input.focus();
  });
}

const deps: UploadDeps = {
  uploader,
  announce,
  thumbnail: async (record: UploadRecord) =>
    hasThumbnail(record.type) ? blobUrl(uploader.fileUrl(record.id), auth()) : undefined,
  started: () => void refreshList(),
  settled: () => void refreshList(),
  signedOut: () => lostSession("Your sign-in has expired: sign in again."),
};

function startUpload(file: File, route: RouteInfo, storedBytes?: number): void {
  byId("cards-empty").hidden = true;
  // The same file dropped again instead of through its offer resumes too: the offer has done its job.
  for (const [id, { offer, element }] of offers) {
    if (offer.name === file.name && offer.size === file.size && offer.lastModified === file.lastModified) {
      element.remove();
      offers.delete(id);
    }
  }
  const { card, run } = prepareUpload(deps, file, route, storedBytes);
  byId("cards").prepend(card.element);
  if (run) enqueue(run);
}

function setupUploader(): void {
  setupDropzone(byId<HTMLButtonElement>("drop"), byId<HTMLInputElement>("picker"), (files) => {
    if (!chosen) {
      announce("The kinds of upload are still loading: try again in a moment");
      return;
    }
    announce(`${files.length} file${files.length === 1 ? "" : "s"} added`);
    const route = chosen();
    for (const file of files) startUpload(file, route);
  });
  byId("refresh").addEventListener("click", () => void refreshList());
}

setupSignIn();
setupUploader();
show();
