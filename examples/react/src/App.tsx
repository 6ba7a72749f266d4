import { RouteUploader } from "./RouteUploader.js";

export function App() {
  return (
    <main>
      <h1>upgate + React</h1>
      <p className="hint">Files go straight to storage; the server checks each one before it counts.</p>
      <RouteUploader route="images" title="Images" />
      <RouteUploader route="documents" title="Documents" />
      <RouteUploader route="archives" title="Large files" />
    </main>
  );
}
