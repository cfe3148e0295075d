// irc-framework requires `socks` at load time for its optional SOCKS proxy
// support, which Seshet's bot files do not offer; loading it costs every bot
// ~2 MB (socks, ip-address, smart-buffer). This stands in for it (see
// lean-modules.ts) and refuses clearly if a proxy is ever asked for.
export const SocksClient = {
  createConnection(): never {
    throw new Error("SOCKS proxies are not supported by Seshet");
  },
};
