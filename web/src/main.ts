/** The demo page: sign in as a demo user, upload files through the gateway, see them listed. */
import { createUploader, describeError, type UploadRecord } from "../../src/client/index.js";
import { createAnnouncer } from "./a11y.js";
import { byId } from "./dom.js";
import { setupDropzone } from "./dropzone.js";
import { blobUrl, downloadUrl, hasThumbnail } from "./files.js";
import { renderUploads } from "./list.js";
import { createQueue } from "./queue.js";
import { loadRoutes, renderRoutes, routeRules } from "./routes.js";
import { type Session, savedSession, signIn, signOut } from "./session.js";
import { prepareUpload } from "./upload.js";

/** Files uploading at once; the others wait their turn. */
const FILES_AT_ONCE = 2;

const announce = createAnnouncer(byId("announcer"));
let session: Session | undefined = savedSession();
const auth = (): Record<string, string> => (session ? { authorization: `Bearer ${session.token}` } : {});
const uploader = createUploader({ endpoint: location.origin, headers: auth });
const enqueue = createQueue(FILES_AT_ONCE);
const labels = new Map<string, string>();

function show(): void {
  const signedIn = session !== undefined;
  byId("sign-in").hidden = signedIn;
  byId("uploader").hidden = !signedIn;
  byId("mine").hidden = !signedIn;
  byId("who").hidden = !signedIn;
  byId("who-name").textContent = session?.user ?? "";
  if (signedIn) void refreshList();
}

async function refreshList(): Promise<void> {
  const status = byId("mine-status");
  try {
    const { uploads } = await uploader.list();
    renderUploads(byId<HTMLTableSectionElement>("mine-rows"), uploads, labels, download);
    status.textContent = uploads.length === 0 ? "No uploads yet." : "";
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

async function setupUploader(): Promise<void> {
  const routes = await loadRoutes();
  for (const route of routes) labels.set(route.policy.name, route.policy.label);
  const picker = byId<HTMLInputElement>("picker");
  const rules = byId("drop-rules");
  const chosen = renderRoutes(byId<HTMLFieldSetElement>("routes"), routes, (route) => {
    rules.textContent = `${route.policy.label}: ${routeRules(route)}.`;
    const any = route.policy.types.some((t) => t === "*/*");
    if (any) picker.removeAttribute("accept");
    else picker.accept = route.policy.types.join(",");
  });
  const cards = byId("cards");
  const deps = {
    uploader,
    announce,
    thumbnail: async (record: UploadRecord) =>
      hasThumbnail(record.type) ? blobUrl(uploader.fileUrl(record.id), auth()) : undefined,
    settled: () => void refreshList(),
    signedOut: () => lostSession("Your sign-in has expired: sign in again."),
  };
  setupDropzone(byId<HTMLButtonElement>("drop"), picker, (files) => {
    byId("cards-empty").hidden = true;
    announce(`${files.length} file${files.length === 1 ? "" : "s"} added`);
    for (const file of files) {
      const { card, run } = prepareUpload(deps, file, chosen());
      cards.prepend(card.element);
      if (run) enqueue(run);
    }
  });
  byId("refresh").addEventListener("click", () => void refreshList());
}

setupSignIn();
show();
setupUploader().catch((err: unknown) => {
  byId("drop-rules").textContent = `The uploader could not start: ${(err as Error).message}`;
});
