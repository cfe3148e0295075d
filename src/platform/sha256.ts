// SHA-256 in hex. Bun hashes natively; node:crypto, which Deno and Node use,
// costs a Bun process ~6 MB to load (compiled binaries importing it and not:
// 32.2 against 26 MB), for the one hash sync takes of each task.
import { runtime } from "./runtime.ts";

declare const Bun: { CryptoHasher: new (algorithm: "sha256") => { update(text: string): { digest(encoding: "hex"): string } } };

const nodeCrypto = runtime === "bun" ? null : await import("node:crypto");

export function sha256Hex(text: string): string {
  if (nodeCrypto) return nodeCrypto.createHash("sha256").update(text).digest("hex");
  return new Bun.CryptoHasher("sha256").update(text).digest("hex");
}
