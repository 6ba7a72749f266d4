import { useRef, useState } from "react";
import type { ResumeOffer, UseUploadResult } from "../../../src/react/index.js";

/** "Resume backup.zip (45% stored)": the upload a reload cut, continued with the file picked again. */
function Offer({ offer, upload }: { offer: ResumeOffer; upload: UseUploadResult }) {
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string>();
  return (
    <li className="offer">
      <button type="button" onClick={() => input.current?.click()}>
        Resume {offer.name} ({offer.percent}% stored)
      </button>
      <button type="button" className="quiet" onClick={() => upload.dismissOffer(offer)}>
        Discard
      </button>
      <input
        ref={input}
        type="file"
        hidden
        aria-label={`Pick ${offer.name} again to resume it`}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          event.currentTarget.value = "";
          if (file) upload.resumeOffer(offer, file).then(setProblem);
        }}
      />
      {problem && <p className="error">{problem}</p>}
    </li>
  );
}

export function ResumeOffers({ upload }: { upload: UseUploadResult }) {
  if (upload.offers.length === 0) return null;
  return (
    <ul className="offers" aria-label="Unfinished uploads">
      {upload.offers.map((offer) => (
        <Offer key={offer.key} offer={offer} upload={upload} />
      ))}
    </ul>
  );
}
