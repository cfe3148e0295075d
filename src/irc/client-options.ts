// The irc-framework options for a bot, with the library's own behaviours that
// clash with ours turned off.
import type { ClientOptions } from "irc-framework";
import type { IrcConnectionConfig } from "./connection-config.ts";
import type { Logger } from "./logger-types.ts";

export function clientOptions(
  bot: IrcConnectionConfig,
  nick: string,
  certificate: { certificate: string; privateKey: string } | undefined,
): ClientOptions {
  const { server, sasl } = bot;
  const options: ClientOptions = {
    host: server.host,
    port: server.port,
    tls: server.tls,
    rejectUnauthorized: server.verifyTls,
    nick,
    username: bot.username,
    gecos: bot.realname,
    encoding: "utf8",
    // We reconnect ourselves: irc-framework gives up after a few tries and never retries a failed first connect.
    auto_reconnect: false,
    // CTCP replies go through our flood control instead.
    version: null,
    enable_chghost: true,
    ping_interval: 30,
    ping_timeout: 120,
    // Without an explicit account irc-framework would send the server password as SASL PLAIN.
    account: {},
  };
  if (server.password) options.password = server.password;
  if (sasl?.mechanism === "PLAIN") {
    options.account = { account: sasl.account, password: sasl.password ?? "" };
    options.sasl_mechanism = "PLAIN";
  } else if (sasl?.mechanism === "EXTERNAL") {
    options.sasl_mechanism = "EXTERNAL";
  }
  if (certificate) options.client_certificate = { certificate: certificate.certificate, private_key: certificate.privateKey };
  return options;
}

/** Said once at start: a connection whose server is not verified, or that sends a password in clear. */
export function warnAboutConnection(bot: IrcConnectionConfig, log: Pick<Logger, "warn">): void {
  const { server } = bot;
  if (server.tls && !server.verifyTls) {
    log.warn("TLS certificate verification is turned off: the server's identity is not checked", { host: server.host });
  }
  if (!server.tls && (bot.sasl?.mechanism === "PLAIN" || server.password)) {
    log.warn("sending a password over a connection without TLS", { host: server.host });
  }
}
