// Reads the PEM files a bot file names for CertFP / SASL EXTERNAL.
import { readFileSync } from "node:fs";
import type { ServerConfig } from "./connection-config.ts";

export function readClientCertificate(server: ServerConfig): { certificate: string; privateKey: string } | undefined {
  if (!server.clientCert) return undefined;
  const certificate = readFileSync(server.clientCert, "utf8");
  // One PEM file may hold both the certificate and its key.
  const privateKey = readFileSync(server.clientKey ?? server.clientCert, "utf8");
  return { certificate, privateKey };
}
