// What `seshet init` writes. Kept as strings so the compiled binary carries them.

export const STARTER_BOT = `#:schema ../schema/bot.schema.json
# bots/example.toml: one file per bot; the file name ("example") is the bot's name.
# Check your files with \`seshet check\`; try the bot without a server with
# \`seshet run --console\`.

nick = "seshet"
# alt_nicks = ["seshet_", "seshet__"]   # tried in order when the nick is taken
channels = ["#seshet-test"]
# Who may use admin commands such as !reloadtasks: a services account, or a
# nick!user@host mask (* and ? are wildcards).
admins = ["account:your-account", "*!*@your.host.example"]
prefix = "!"
tz = "UTC"                              # default zone for this bot's tasks
modules = []                            # plugin files, relative to this project, e.g. "plugins/weather.ts"

[server]
host = "irc.libera.chat"
port = 6697
tls = true

# [sasl]
# account = "seshet"
# password = { env = "SESHET_EXAMPLE_PASSWORD" }   # secrets never in the file

# [flood]
# burst = 5                              # lines sent back to back
# rate = 1                               # lines per second after that
`;

export const STARTER_TASKS = `#:schema ../schema/tasks.schema.json
# tasks/example.toml: any number of [[task]] tables; edit, then type
# !reloadtasks in IRC (or send SIGHUP) to apply the changes.

# Says something every 10 seconds, so you can see the scheduler work right
# away. Delete it once you have.
[[task]]
name = "heartbeat"                      # unique per bot
func = "core:say"                       # module:function
args = ["#seshet-test", "still here (tasks/example.toml, every 10 seconds)"]
start = 2026-01-01T00:00:00             # local date-time, read in tz
catchup = "skip"                        # runs missed while down: "skip", "once" (default) or "all"
rrule = { freq = "secondly", interval = 10 }

# Every weekday at 09:00 Berlin time, on both sides of a DST change.
[[task]]
name = "standup"
# bot = "example"                       # default: every bot
func = "core:say"
args = ["#seshet-test", "Stand-up in 5 minutes"]
start = 2026-01-05T09:00:00
tz = "Europe/Berlin"

[task.rrule]                            # RFC 5545 RRULE parts, lower-case
freq = "weekly"
byweekday = ["MO", "TU", "WE", "TH", "FR"]
`;
