import { useId } from "react";
import { type RouteName, UploadDropzone } from "../../../src/react/index.js";
import type config from "../upgate.config.js";
import { FileRow } from "./FileRow.js";
import { ResumeOffers } from "./ResumeOffers.js";
import { upgate } from "./upgate.js";

export function RouteUploader({ route, title }: { route: RouteName<typeof config>; title: string }) {
  const upload = upgate.useUpload({ route });
  const heading = useId();
  return (
    <section className="route" aria-labelledby={heading} data-route={route}>
      <h2 id={heading}>{title}</h2>
      <p className="rules">{upload.rules}</p>
      <UploadDropzone upload={upload} className="dropzone">
        {({ state }) =>
          state === "dragging"
            ? "Drop to upload"
            : `Drop ${title.toLowerCase()} here, or press Enter to choose`
        }
      </UploadDropzone>
      <ResumeOffers upload={upload} />
      <ul className="files">
        {upload.items.map((item) => (
          <FileRow key={item.id} item={item} upload={upload} />
        ))}
      </ul>
    </section>
  );
}
