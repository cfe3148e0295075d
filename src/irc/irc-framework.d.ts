// Declarations for the parts of irc-framework 4.14 that Seshet uses; the
// package ships no types. Only what src/irc/ calls is declared, and the event
// payloads carry just the fields we read. `import IRC from "irc-framework"`
// gives the CommonJS module object (Bun, Deno and Node agree on that).
declare module "irc-framework" {
  export interface ClientOptions {
    host: string;
    port: number;
    nick: string;
    username?: string;
    gecos?: string;
    tls?: boolean;
    /** Verify the server certificate (TLS). */
    rejectUnauthorized?: boolean;
    /** Server password (PASS). Also used as SASL PLAIN password with the nick when `account` is absent. */
    password?: string;
    /** SASL PLAIN credentials; `{}` disables SASL even when `password` is set. */
    account?: { account?: string; password?: string };
    sasl_mechanism?: "PLAIN" | "EXTERNAL";
    sasl_disconnect_on_fail?: boolean;
    client_certificate?: { private_key: string; certificate: string };
    encoding?: string;
    /** Automatic CTCP VERSION reply; a falsy value turns it off. */
    version?: string | null;
    enable_chghost?: boolean;
    enable_setname?: boolean;
    enable_echomessage?: boolean;
    auto_reconnect?: boolean;
    auto_reconnect_max_wait?: number;
    auto_reconnect_max_retries?: number;
    ping_interval?: number;
    ping_timeout?: number;
    message_max_length?: number;
    outgoing_addr?: string;
  }

  /** A parsed line as the connection emits it on "message". */
  export interface IrcMessage {
    tags: Record<string, string | true>;
    prefix: string;
    nick: string;
    ident: string;
    hostname: string;
    command: string;
    params: string[];
  }

  interface SenderFields {
    nick: string;
    ident: string;
    hostname: string;
    tags?: Record<string, string | true>;
  }

  export interface MessageEvent extends SenderFields {
    from_server: boolean;
    target: string;
    group?: string;
    message: string;
    /** The account-tag value when the server sends it. */
    account?: string;
    time?: number;
  }

  export interface CtcpRequestEvent extends SenderFields {
    from_server: boolean;
    target: string;
    type: string | null;
    message: string;
  }

  export interface JoinEvent extends SenderFields {
    channel: string;
    gecos: string;
    /** With extended-join: the account, or false when not logged in. Absent otherwise. */
    account?: string | false;
  }

  export interface PartEvent extends SenderFields {
    channel: string;
    message: string;
  }

  export interface KickEvent extends SenderFields {
    kicked: string;
    channel: string;
    message: string;
  }

  export interface QuitEvent extends SenderFields {
    message: string;
  }

  export interface NickEvent extends SenderFields {
    new_nick: string;
  }

  export interface AccountEvent extends SenderFields {
    account: string | false;
  }

  export interface NickInUseEvent {
    nick: string;
    reason: string;
  }

  export interface SaslFailedEvent {
    reason: string;
    message?: string;
  }

  export interface RegisteredEvent {
    nick: string;
  }

  export interface ClientEvents {
    registered: (e: RegisteredEvent) => void;
    connected: (e: RegisteredEvent) => void;
    connecting: () => void;
    "socket connected": () => void;
    "socket close": (err?: Error | false) => void;
    close: (hadError: boolean) => void;
    privmsg: (e: MessageEvent) => void;
    notice: (e: MessageEvent) => void;
    action: (e: MessageEvent) => void;
    "ctcp request": (e: CtcpRequestEvent) => void;
    join: (e: JoinEvent) => void;
    part: (e: PartEvent) => void;
    kick: (e: KickEvent) => void;
    quit: (e: QuitEvent) => void;
    nick: (e: NickEvent) => void;
    account: (e: AccountEvent) => void;
    "nick in use": (e: NickInUseEvent) => void;
    "nick invalid": (e: NickInUseEvent) => void;
    "sasl failed": (e: SaslFailedEvent) => void;
    loggedin: (e: AccountEvent) => void;
    "ping timeout": () => void;
    debug: (msg: string) => void;
    /** After NAMES: everyone in the channel with their prefix modes ("o", "v", …). */
    userlist: (e: { channel: string; users: { nick: string; modes?: string[] }[] }) => void;
    mode: (e: { target: string; nick: string; modes: { mode: string; param?: string }[] }) => void;
  }

  export interface NetworkInfo {
    name: string;
    options: Record<string, unknown>;
    cap: { enabled: string[]; isEnabled(cap: string): boolean };
    supports(name: string): unknown;
    isChannelName(name: string): boolean;
  }

  export interface Connection {
    connected: boolean;
    on(event: "message", fn: (msg: IrcMessage, line: string) => void): Connection;
    on(event: string, fn: (...args: any[]) => void): Connection;
    end(data?: string | null, hadError?: boolean): void;
  }

  export class Client {
    constructor(options?: Partial<ClientOptions>);
    readonly connected: boolean;
    connection: Connection;
    network: NetworkInfo;
    user: { nick: string; username: string; host: string; gecos: string };
    options: ClientOptions;
    connect(options?: ClientOptions): void;
    /** Writes one raw line as given (a single string argument is not reformatted). */
    raw(line: string): void;
    quit(message?: string): void;
    changeNick(nick: string): void;
    caseLower(s: string): string;
    caseCompare(a: string, b: string): boolean;
    requestCap(cap: string | string[]): void;
    on<K extends keyof ClientEvents>(event: K, fn: ClientEvents[K]): this;
    once<K extends keyof ClientEvents>(event: K, fn: ClientEvents[K]): this;
    off<K extends keyof ClientEvents>(event: K, fn?: ClientEvents[K]): this;
    removeAllListeners(event?: string): this;
  }

  const IRC: { Client: typeof Client };
  export default IRC;
}
