// What an IrcTransport can be told beyond the connection config: timings
// (tests shorten them), a client certificate, a clock.
import type { QueueClock } from "./send-queue.ts";
import type { ReconnectOptions } from "./reconnect-backoff.ts";

export interface IrcTransportOptions {
  /**
   * Longest wait at stop for queued lines to go out before QUIT (default 5 s,
   * which keeps the supervisor's 10 s shutdown bound).
   */
  stopDrainMs?: number;
  /** Reconnect backoff: `minMs` doubling to `maxMs` (with jitter); reset after `stableMs` registered. */
  reconnect?: ReconnectOptions;
  /** How often to try to take back the configured nick while using another (default 30 s). */
  nickRegainMs?: number;
  /** Pause before rejoining a channel the bot was kicked from (default 5 s). */
  rejoinAfterKickMs?: number;
  /** Longest wait for channel JOINs before the outbox is released anyway (default 10 s). */
  joinTimeoutMs?: number;
  /** Longest wait from connecting to registration before the attempt is abandoned (default 60 s). */
  registrationTimeoutMs?: number;
  /** Client certificate (PEM) for SASL EXTERNAL / CertFP. */
  clientCertificate?: { certificate: string; privateKey: string };
  /** CTCP VERSION reply. */
  version?: string;
  clock?: QueueClock;
}
