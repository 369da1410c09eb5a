import { execFileSync, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { decodeProtectedHeader } from "jose";

/** Runs `openssl <args>` in the current directory and returns its stdout; throws when it fails. */
export const openssl = (...args: string[]) =>
  execFileSync("openssl", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });

/** A PEM's base64 body on one line: its DER, as a BinarySecurityToken carries it. */
export const der = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, "");

/**
 * OpenSSL and the official Cybersource SDK, run on files in a throw-away directory:
 * tools nobody here wrote, to cross-check certificates, CSRs and P12 files.
 */
export class Workdir {
  readonly dir = mkdtempSync(path.join(tmpdir(), "kc-openssl-"));

  path(name: string): string {
    return path.join(this.dir, name);
  }

  write(name: string, content: string | Buffer): string {
    writeFileSync(this.path(name), content);
    return this.path(name);
  }

  read(name: string): string {
    return readFileSync(this.path(name), "utf8");
  }

  /** Runs `openssl <args>` here; returns the outcome without throwing. */
  openssl(args: string[], input?: string): { status: number; stdout: string; stderr: string } {
    return this.sh("openssl", args, input);
  }

  /** Runs `openssl <args>` here and returns stdout + stderr; throws when it fails. */
  opensslOk(args: string[], input?: string): string {
    const r = this.openssl(args, input);
    if (r.status !== 0) throw new Error(`openssl ${args.join(" ")} failed: ${r.stderr}`);
    return r.stdout + r.stderr;
  }

  /**
   * The guide's CSR command, `openssl req -new -newkey rsa:2048 -keyout <keyout> -out <out>
   * -sha256 -nodes -subj "/CN=<cn>"`, with another key type or extra options when asked.
   * Returns the CSR's PEM.
   */
  csr(opts: { keyout: string; out: string; cn: string; newkey?: string; extra?: string[] }): string {
    this.opensslOk([
      "req",
      "-new",
      "-newkey",
      opts.newkey ?? "rsa:2048",
      "-keyout",
      opts.keyout,
      "-out",
      opts.out,
      "-sha256",
      "-nodes",
      "-subj",
      `/CN=${opts.cn}`,
      ...(opts.extra ?? []),
    ]);
    return this.read(opts.out);
  }

  /** `openssl req -x509 -newkey rsa:2048 -nodes -subj <subject>`: a self-signed certificate and its key, as PEM. */
  selfSigned(subject: string, days = 2): { keyPem: string; certPem: string } {
    const name = `self-${randomUUID()}`;
    const out = ["-keyout", `${name}.key`, "-out", `${name}.crt`];
    this.opensslOk(["req", "-x509", "-newkey", "rsa:2048", "-nodes", ...out, "-days", String(days), "-subj", subject]);
    return { keyPem: this.read(`${name}.key`), certPem: this.read(`${name}.crt`) };
  }

  /** `openssl pkcs12 -in <file> -passin pass:<password> <args>`; throws when it fails. */
  pkcs12(file: string, password: string, ...args: string[]): string {
    return this.opensslOk(["pkcs12", "-in", file, "-passin", `pass:${password}`, ...args]);
  }

  /** Writes the P12's own certificate to `out` and returns what `openssl verify -CAfile <chain>` says of it. */
  verifyP12Certificate(file: string, password: string, chain: string, out = "leaf.pem"): string {
    this.pkcs12(file, password, "-clcerts", "-nokeys", "-out", out);
    return this.opensslOk(["verify", "-CAfile", chain, out]);
  }

  /** Runs a bash script here (the guide's shell commands); throws when it fails. */
  bash(script: string): string {
    const r = this.sh("bash", ["-euo", "pipefail", "-c", script]);
    if (r.status !== 0) throw new Error(`bash failed: ${r.stderr}`);
    return r.stdout;
  }

  private sh(cmd: string, args: string[], input?: string) {
    const r = spawnSync(cmd, args, { cwd: this.dir, input, encoding: "utf8" });
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const require = createRequire(import.meta.url);
const sdk = "cybersource-rest-client/src/authentication";

/**
 * Loads `<dir>/<keyFileName>.p12` the way the official SDK does for JWT authentication
 * (authenticationType "jwt") and returns the token it builds for a POST, with its decoded
 * protected header.
 */
export function sdkJwt(input: { keysDirectory: string; keyFileName: string; keyPass: string; merchantID: string }): {
  token: string;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
} {
  const MerchantConfig = require(`${sdk}/core/MerchantConfig.js`);
  const Authorization = require(`${sdk}/core/Authorization.js`);
  const Logger = require(`${sdk}/logging/Logger.js`);
  const config = new MerchantConfig({
    authenticationType: "jwt",
    merchantID: input.merchantID,
    runEnvironment: "apitest.cybersource.com",
    keysDirectory: input.keysDirectory,
    keyFileName: input.keyFileName,
    keyAlias: input.merchantID,
    keyPass: input.keyPass,
    logConfiguration: {},
  });
  config.setRequestTarget("/pts/v2/payments");
  config.setRequestType("POST");
  config.setRequestJsonData(JSON.stringify({ clientReferenceInformation: { code: "kc-test" } }));
  const token: string = Authorization.getToken(config, false, Logger.getLogger(config, "KeyCenterTest"));
  const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8"));
  return { token, header: decodeProtectedHeader(token) as Record<string, unknown>, claims };
}

/** The SDK's own check for a Cybersource-made P12, and the response-MLE key ID it extracts. */
export function sdkResponseMleKid(input: { p12Path: string; keyPass: string; merchantID: string }): {
  isCybersourceP12: boolean;
  kid: string;
} {
  const Utility = require(`${sdk}/util/Utility.js`);
  const MLEUtility = require(`${sdk}/util/MLEUtility.js`);
  const logger = { debug() {}, info() {}, warn() {}, error() {} };
  return {
    isCybersourceP12: Utility.isCybersourceP12(input.p12Path, input.keyPass, logger),
    kid: MLEUtility.extractResponseMleKid(input.p12Path, input.keyPass, input.merchantID, logger),
  };
}
