// Signal handling that works on Bun, Deno and Node (Windows has no SIGHUP).
export type SignalName = "SIGINT" | "SIGTERM" | "SIGHUP";

export function onSignal(signal: SignalName, handler: () => void): () => void {
  if (process.platform === "win32" && signal === "SIGHUP") return () => {};
  process.on(signal, handler);
  return () => void process.off(signal, handler);
}
