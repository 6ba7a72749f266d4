/**
 * A drop zone that is a button: a click, Enter or Space opens the file picker; files dropped on it
 * or picked go to `onFiles`.
 */
export function setupDropzone(
  zone: HTMLButtonElement,
  picker: HTMLInputElement,
  onFiles: (files: File[]) => void,
) {
  zone.addEventListener("click", () => picker.click());
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length > 0) onFiles(files);
  });
  picker.addEventListener("change", () => {
    const files = [...(picker.files ?? [])];
    picker.value = "";
    if (files.length > 0) onFiles(files);
  });
}
