// Where every command's output goes: stdout, through one writer. A reader
// that stops early (`seshet check --verbose | head -1`) closes the pipe; the
// next write then fails with EPIPE, which would otherwise end the command with
// a stack trace. The writer turns that into a quiet end, as a Unix tool killed
// by SIGPIPE: nothing more is written and `onClosed` decides what follows.
// A slow reader is the other case: output still queued when the command ends
// must reach it before the process exits (`settled`), or a feed is cut short.

/** Exit status of a command whose reader went away: 128 + SIGPIPE, what a shell reports for `cat` in `cat big | head -1`. */
export const CLOSED_PIPE_EXIT = 141;

/** The part of a writable stream the writer needs (process.stdout in the CLI). */
export interface OutputStream {
  /** False when the text is queued rather than handed to the system ("drain" follows). */
  write(text: string): boolean;
  on(event: "error", listener: (error: unknown) => void): unknown;
  once(event: "drain", listener: () => void): unknown;
}

export interface OutputWriter {
  /** Writes text as is (a feed, a schema). */
  text(text: string): void;
  /** Writes one line, adding the newline. */
  line(line: string): void;
  /** Resolves once everything written so far has left the process (at once when nothing is queued). */
  settled(): Promise<void>;
}

/** Whether an error says the reading end of the pipe is gone (Node and Bun: EPIPE; Deno: BrokenPipe). */
export function isClosedPipe(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; name?: unknown };
  return e.code === "EPIPE" || e.name === "BrokenPipe";
}

/**
 * A writer on `stream` that, once the reader is gone, drops further output and
 * calls `onClosed` once. A write may fail at once (a synchronous throw) or
 * later (an "error" event); both end up here. Other errors are not hidden.
 */
export function outputWriter(stream: OutputStream, onClosed: () => void): OutputWriter {
  let closed = false;
  let draining: Promise<void> | null = null;
  const close = (error: unknown) => {
    if (!isClosedPipe(error)) throw error;
    if (closed) return;
    closed = true;
    onClosed();
  };
  stream.on("error", close);
  const text = (t: string) => {
    if (closed) return;
    try {
      if (!stream.write(t) && draining === null) {
        draining = new Promise((resolve) =>
          stream.once("drain", () => {
            draining = null;
            resolve();
          }),
        );
      }
    } catch (error) {
      close(error);
    }
  };
  return { text, line: (l) => text(l + "\n"), settled: () => draining ?? Promise.resolve() };
}
