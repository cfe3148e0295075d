// Errors nobody caught: a rejected promise nobody awaited, or a throw in a
// timer callback. By default either ends the process; a listener keeps it
// alive. process.on works for both on Bun, Deno and Node.

export type StrayKind = "unhandled rejection" | "uncaught exception";

/** Calls `handler` for every stray error instead of letting it end the process; returns the undo. */
export function onStrayError(handler: (error: unknown, kind: StrayKind) => void): () => void {
  const rejection = (reason: unknown) => handler(reason, "unhandled rejection");
  const exception = (error: unknown) => handler(error, "uncaught exception");
  process.on("unhandledRejection", rejection);
  process.on("uncaughtException", exception);
  return () => {
    process.off("unhandledRejection", rejection);
    process.off("uncaughtException", exception);
  };
}
