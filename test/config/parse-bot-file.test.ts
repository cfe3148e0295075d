import { DEFAULT_SCHEDULE_LIMITS } from "../../src/config/config-types.ts";
import { describe, expect, test } from "bun:test";
import { parseBotFile } from "../../src/config/parse-bot-file.ts";

const FILE = "/project/bots/libera.toml";
const SERVER = '[server]\nhost = "irc.example.net"\n';

function ok(text: string, env: Record<string, string | undefined> = {}) {
  const r = parseBotFile(FILE, text, env);
  expect(r.issues).toEqual([]);
  if (!r.bot) throw new Error("no bot");
  return r.bot;
}

/** The single issue the text produces, as `line:col: message`. */
function issue(text: string, env: Record<string, string | undefined> = {}, file = FILE): string {
  const r = parseBotFile(file, text, env);
  expect(r.bot).toBeNull();
  expect(r.issues.length).toBe(1);
  const i = r.issues[0]!;
  expect(i.file).toBe(file);
  return `${i.line}:${i.col}: ${i.message}`;
}

describe("bot file defaults", () => {
  test("a minimal file gets every default", () => {
    const bot = ok(`nick = "seshet"\n${SERVER}`);
    expect(bot).toEqual({
      name: "libera",
      file: FILE,
      nick: "seshet",
      altNicks: ["seshet_"],
      username: "seshet",
      realname: "Seshet bot",
      channels: [],
      admins: [],
      prefix: "!",
      tz: "UTC",
      tick: 1,
      modules: [],
      server: { host: "irc.example.net", port: 6697, tls: true, verifyTls: true },
      flood: { burst: 5, rate: 1 },
      outboxLimit: 1000,
      replies: { burst: 12, perMinute: 20, ctcpPerMinute: 6, queue: 100, commands: 5, commandsPerMinute: 30 },
      schedule: DEFAULT_SCHEDULE_LIMITS,
    });
  });

  test("[replies] sets the per-user reply budget, the CTCP allowance and the reply queue", () => {
    const bot = ok(`nick = "seshet"\n${SERVER}\n[replies]\nburst = 4\nper_minute = 6\nctcp_per_minute = 0\nqueue = 30\ncommands = 2\ncommands_per_minute = 10\n`);
    expect(bot.replies).toEqual({ burst: 4, perMinute: 6, ctcpPerMinute: 0, queue: 30, commands: 2, commandsPerMinute: 10 });
  });

  test("[schedule] sets the limits of scheduling from IRC; a bad value is located and names what is expected", () => {
    const bot = ok(`nick = "seshet"\n[schedule]\nrecurring = "voice"\nmax_tasks = 3\nmin_interval = "1h"\nmax_text = 100\nmax_ahead = "30d"\n${SERVER}`);
    expect(bot.schedule).toEqual({ recurring: "voice", maxTasks: 3, minIntervalMs: 3_600_000, maxTextBytes: 100, maxAheadMs: 30 * 86_400_000 });
    expect(issue(`nick = "seshet"\n[schedule]\nrecurring = "ops"\n${SERVER}`)).toBe(`3:13: 'schedule.recurring' must be "anyone", "voice", "op" or "admin", got "ops"`);
    expect(issue(`nick = "seshet"\n[schedule]\nmin_interval = "soon"\n${SERVER}`)).toContain('must be a duration such as "15m"');
  });

  test("plain-text port is 6667, and every key can be set", () => {
    const bot = ok(
      [
        'nick = "bot"',
        'alt_nicks = ["bot2", "bot3"]',
        'username = "u"',
        'realname = "A bot"',
        'channels = ["#a", "&b", "+c", "!d"]',
        'admins = ["account:kopachris", "*!*@user/kopachris"]',
        'prefix = "."',
        'tz = "Europe/Berlin"',
        "tick = 0.5",
        'modules = ["plugins/weather.ts", "/abs/x.ts"]',
        "outbox_limit = 50",
        "[server]",
        'host = "127.0.0.1"',
        "tls = false",
        "verify_tls = false",
        "[flood]",
        "burst = 3",
        "rate = 2",
      ].join("\n"),
    );
    expect(bot.server).toEqual({ host: "127.0.0.1", port: 6667, tls: false, verifyTls: false });
    expect(bot.altNicks).toEqual(["bot2", "bot3"]);
    expect(bot.username).toBe("u");
    expect(bot.tick).toBe(0.5);
    expect(bot.tz).toBe("Europe/Berlin");
    expect(bot.flood).toEqual({ burst: 3, rate: 2 });
    expect(bot.outboxLimit).toBe(50);
    // Relative to the project, i.e. the parent of the bots folder.
    expect(bot.modules).toEqual(["/project/plugins/weather.ts", "/abs/x.ts"]);
  });
});

describe("bot file errors point at the key or value", () => {
  test("syntax error at smol-toml's position", () => {
    expect(issue('nick = "x"\nchannels = [\n"#a" "#b"]\n')).toMatch(/^3:6: invalid TOML: /);
  });

  test("unknown key with a suggestion", () => {
    expect(issue(`nick = "x"\n  chanels = ["#a"]\n${SERVER}`)).toBe(
      "2:3: unknown key 'chanels'; did you mean 'channels'?",
    );
  });

  test("unknown key without a near match lists the known ones", () => {
    expect(issue(`nick = "x"\n${SERVER}colour = 3\n`)).toBe(
      "4:1: unknown key 'colour' in [server]; expected one of: host, port, tls, verify_tls, password, client_cert, client_key",
    );
  });

  test("wrong type at the value", () => {
    expect(issue(`nick = "x"\n[server]\nhost = "h"\nport =  "6667"\n`)).toBe(
      "4:9: 'server.port' must be an integer from 1 to 65535, got string",
    );
  });

  test("out of range at the value", () => {
    expect(issue(`nick = "x"\n${SERVER}port = 70000\n`)).toBe(
      "4:8: 'server.port' must be an integer from 1 to 65535, got 70000",
    );
    expect(issue(`nick = "x"\ntick = 0\n${SERVER}`)).toBe(
      "2:8: 'tick' must be a number greater than 0 and at most 60, got 0",
    );
    expect(issue(`nick = "x"\ntick = 61\n${SERVER}`)).toBe(
      "2:8: 'tick' must be a number greater than 0 and at most 60, got 61",
    );
  });

  test("missing required key: top level at 1:1, in a table at its header", () => {
    expect(issue(`# comment\n${SERVER}`)).toBe("1:1: missing required key 'nick'");
    expect(issue('nick = "x"\n\n[server]\nport = 6697\n')).toBe("3:1: missing required key 'server.host' in [server]");
    expect(issue('nick = "x"\n')).toMatch(/^1:1: missing \[server\] table/);
  });

  test("unknown time zone", () => {
    expect(issue(`nick = "x"\ntz = "Europe/Berln"\n${SERVER}`)).toBe(
      `2:6: 'tz' "Europe/Berln" is not a known IANA time zone; did you mean "Europe/Berlin"?`,
    );
  });

  test("bad channel, nick and admin entries at the element", () => {
    expect(issue(`nick = "x"\nchannels = ["#ok", "seshet"]\n${SERVER}`)).toBe(
      '2:20: channel "seshet" must start with #, &, + or !',
    );
    expect(issue(`nick = "x"\nchannels = ["#a b"]\n${SERVER}`)).toMatch(/^2:13: channel "#a b" is not a valid/);
    expect(issue(`nick = "9lives"\n${SERVER}`)).toMatch(/^1:8: 'nick' "9lives" is not a valid nick/);
    expect(issue(`nick = "x"\nadmins = ["account:a", "kopachris"]\n${SERVER}`)).toMatch(
      /^2:24: admin "kopachris" must be 'account:NAME' or a 'nick!user@host' mask/,
    );
    expect(issue(`nick = "x"\nadmins = ["nick@host"]\n${SERVER}`)).toMatch(/^2:11: admin "nick@host"/);
  });

  test("an array item of the wrong type", () => {
    expect(issue(`nick = "x"\nchannels = ["#a", 5]\n${SERVER}`)).toBe(
      "2:19: 'channels' must be an array of channel names, but item 2 is integer",
    );
  });

  test("several problems are all reported, in file order", () => {
    const r = parseBotFile(FILE, `nick = 5\nchanels = []\n${SERVER}port = 0\n`, {});
    expect(r.issues.map((i) => `${i.line}:${i.col}`)).toEqual(["1:8", "2:1", "5:8"]);
  });
});

describe("secrets", () => {
  const sasl = (pw: string) => `nick = "x"\n${SERVER}[sasl]\naccount = "seshet"\npassword = ${pw}\n`;

  test("resolved from the environment", () => {
    const bot = ok(sasl('{ env = "SESHET_PW" }'), { SESHET_PW: "hunter2" });
    expect(bot.sasl).toEqual({ mechanism: "PLAIN", account: "seshet", password: "hunter2" });
    const b2 = ok(`nick = "x"\n${SERVER}password = { env = "SERVER_PW" }\n`, { SERVER_PW: "s3" });
    expect(b2.server.password).toBe("s3");
  });

  test("an unset variable is named, at the env value", () => {
    expect(issue(sasl('{ env = "SESHET_PW" }'), {})).toBe(
      "6:20: environment variable SESHET_PW is not set (it holds 'sasl.password')",
    );
  });

  test("a password written in the file is refused", () => {
    expect(issue(sasl('"hunter2"'))).toBe(
      `6:12: 'sasl.password' must be written as { env = "VARIABLE" }: secrets never in the file; put the value in an environment variable`,
    );
  });

  test("PLAIN needs a password; EXTERNAL does not", () => {
    expect(issue(`nick = "x"\n${SERVER}[sasl]\naccount = "a"\n`)).toBe(
      "4:1: missing required key 'sasl.password' in [sasl] (PLAIN needs an account and a password)",
    );
    const bot = ok(`nick = "x"\n${SERVER}[sasl]\nmechanism = "external"\n`);
    expect(bot.sasl).toEqual({ mechanism: "EXTERNAL", account: "" });
  });
});

test("the file name must be usable as a bot name", () => {
  expect(issue(`nick = "x"\n${SERVER}`, {}, "/p/bots/my bot.toml")).toMatch(/^1:1: the file name gives the bot its name/);
});
