// The systemd unit `seshet init --service` writes: `seshet run` for one
// project, as a hardened service with its store in /var/lib/seshet.
//
// DynamicUser gives the service a throwaway user that can write only its
// StateDirectory; the project (bots/, tasks/, plugins/) is read in place, so
// it must be readable by other users. Secrets come from an EnvironmentFile
// that systemd reads as root before dropping privileges, so the file can be
// 0600 root and the bot files keep naming variables ({ env = "NAME" }).

export const UNIT_FILE = "seshet.service";
export const STATE_DIR = "/var/lib/seshet";
export const ENV_FILE = "/etc/seshet/seshet.env";

export interface ServiceUnitOptions {
  /** The command that runs seshet: the binary, or a runtime and the script. Absolute paths. */
  command: readonly string[];
  /** The project folder (holds bots/ and tasks/), absolute. */
  projectDir: string;
  /** Environment variables the bot files read secrets from. */
  secretVars: readonly string[];
}

/** Hardening: read-only system, no privileges, no devices, network only. */
const HARDENING = `# Hardening: read-only system, no privileges, no devices, network only.
ProtectSystem=strict
ProtectHome=read-only
PrivateTmp=yes
PrivateDevices=yes
NoNewPrivileges=yes
CapabilityBoundingSet=
AmbientCapabilities=
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
ProtectClock=yes
ProtectHostname=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectProc=invisible
SystemCallArchitectures=native
# Not set: MemoryDenyWriteExecute (the JavaScript JIT needs writable code pages).`;

export function serviceUnit(o: ServiceUnitOptions): string {
  const exec = [...o.command, "run", "--db", `${STATE_DIR}/seshet.db`].map((a, i) => quoteArg(a, i > 0)).join(" ");
  const secrets =
    o.secretVars.length > 0
      ? `# The bot files read these secrets: ${o.secretVars.join(", ")}. Put NAME=value lines\n# for them in ${ENV_FILE} (owned by root, mode 0600).`
      : `# Secrets ({ env = "NAME" } in a bot file) go in ${ENV_FILE} as NAME=value lines\n# (owned by root, mode 0600); the leading '-' lets the service start without it.`;
  return `# Seshet as a systemd service, written by \`seshet init --service\`.
# Install: sudo cp ${UNIT_FILE} /etc/systemd/system/ && sudo systemctl daemon-reload
#          sudo systemctl enable --now seshet
# Reload the task files: sudo systemctl reload seshet (SIGHUP). Logs: journalctl -u seshet
[Unit]
Description=Seshet IRC bots (${escapeText(o.projectDir)})
Documentation=https://github.com/seshet-irc/seshet#install
Wants=network-online.target
After=network-online.target

[Service]
Type=exec
# Append --metrics 127.0.0.1:9464 for /metrics (Prometheus) and /healthz on loopback.
ExecStart=${exec}
ExecReload=/bin/kill -HUP $MAINPID
WorkingDirectory=${escapeText(o.projectDir)}
Restart=on-failure
RestartSec=5s
# The supervisor stops every bot (QUIT) within 10 s of SIGTERM.
TimeoutStopSec=20s
${secrets}
EnvironmentFile=-${ENV_FILE}

# A throwaway user that can write only ${STATE_DIR} (the store); the
# project folder above is read in place and must be readable by other users.
DynamicUser=yes
StateDirectory=seshet
StateDirectoryMode=0700
UMask=0077

${HARDENING}

[Install]
WantedBy=multi-user.target
`;
}

/** systemd expands `%` specifiers everywhere: doubled. */
function escapeText(s: string): string {
  if (/[\0-\x1f\x7f]/.test(s)) throw new Error(`cannot put a path with control characters in a unit file: ${JSON.stringify(s)}`);
  return s.replace(/%/g, "%%");
}

/** An ExecStart word; `$VAR` is expanded in the arguments (not the command itself), so `$` is doubled there. */
function quoteArg(s: string, isArgument: boolean): string {
  const text = isArgument ? escapeText(s).replace(/\$/g, "$$$$") : escapeText(s);
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** The variables named by `{ env = "NAME" }` in bot files' text, in order, once each. */
export function secretVarsIn(texts: readonly string[]): string[] {
  const names = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(/\benv\s*=\s*"([A-Za-z_][A-Za-z0-9_]*)"/g)) {
      // Only lines that are not comments.
      const lineStart = text.lastIndexOf("\n", m.index) + 1;
      if (!text.slice(lineStart, m.index).includes("#")) names.add(m[1]!);
    }
  }
  return [...names];
}
