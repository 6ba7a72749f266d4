/** A repeat this soon after the first signal is the same Ctrl-C delivered twice (terminal and a wrapper). */
const REPEAT_MS = 1_000;

/**
 * Resolves on the first SIGINT or SIGTERM. Another signal a second or more later, while shutting
 * down, exits at once (code 130), for a Ctrl-C that must not wait.
 */
export function shutdownSignal(onSecond: () => void = () => process.exit(130)): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let firstAt = 0;
    const again = () => {
      if (Date.now() - firstAt >= REPEAT_MS) onSecond();
    };
    const first = (signal: NodeJS.Signals) => {
      firstAt = Date.now();
      process.off("SIGINT", first);
      process.off("SIGTERM", first);
      process.on("SIGINT", again);
      process.on("SIGTERM", again);
      resolve(signal);
    };
    process.on("SIGINT", first);
    process.on("SIGTERM", first);
  });
}
