// Signal handling that works on Bun, Deno and Node (Windows has no SIGHUP,
// and Deno there delivers only SIGINT).
export type SignalName = "SIGINT" | "SIGTERM" | "SIGHUP";

export function onSignal(signal: SignalName, handler: () => void): () => void {
  if (process.platform === "win32" && signal === "SIGHUP") return () => {};
  try {
    process.on(signal, handler);
  } catch {
    // Deno on Windows can listen only for SIGINT (and SIGBREAK): without a
    // listener the default action applies, as for SIGHUP above.
    return () => {};
  }
  return () => void process.off(signal, handler);
}
