// Nick and channel comparison the way the server does it (ISUPPORT
// CASEMAPPING). Under rfc1459, the default when a server says nothing,
// `[]\^` are the upper case of `{}|~`: `Alice[m]` and `alice{m}` are one nick,
// so an admin mask must match both or an impostor's spelling slips past.

export type CaseMapping = "ascii" | "rfc1459" | "strict-rfc1459";

export function caseMappingOf(isupport: unknown): CaseMapping {
  const v = typeof isupport === "string" ? isupport.toLowerCase() : "";
  return v === "ascii" || v === "strict-rfc1459" ? v : "rfc1459";
}

export function caseFold(text: string, mapping: CaseMapping = "rfc1459"): string {
  // Only ASCII letters fold (toLowerCase would also fold non-ASCII, which servers do not).
  let out = text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
  if (mapping === "ascii") return out;
  out = out.replace(/[[\]\\]/g, (c) => (c === "[" ? "{" : c === "]" ? "}" : "|"));
  return mapping === "rfc1459" ? out.replace(/\^/g, "~") : out;
}
