import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { Workdir } from "./openssl";

/**
 * xmlsec1, the XML Security Library's command line (Debian's `xmlsec1`): an XML-DSig signer
 * and verifier nobody here wrote, run on files in a Workdir. It fills a template's
 * DigestValue and SignatureValue (`--sign`) or checks them (`--verify`); the References it
 * follows by ID need the ID attributes named, as `--id-attr:<attr> <namespace>:<element>`
 * (the attribute is matched by local name, so `Id` finds `wsu:Id` too).
 */
export interface IdAttribute {
  /** The attribute's local name: `Id`. */
  attr: string;
  /** The element carrying it, with its namespace. */
  ns: string;
  element: string;
}

function run(work: Workdir, args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync("xmlsec1", args, { cwd: work.dir, encoding: "utf8" });
  return { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? (r.error?.message || "") };
}

const idArgs = (ids: IdAttribute[]) => ids.flatMap((id) => [`--id-attr:${id.attr}`, `${id.ns}:${id.element}`]);

/**
 * `xmlsec1 --sign --privkey-pem <key>,<cert>`: the template signed with the private key (its
 * first ds:Signature; the KeyInfo the template holds is left as written). Throws when it fails.
 */
export function xmlsecSign(
  work: Workdir,
  template: string,
  signer: { keyPem: string; certPem: string },
  ids: IdAttribute[],
): string {
  const name = `xmlsec-${randomUUID()}`;
  const key = work.write(`${name}.key`, signer.keyPem);
  const cert = work.write(`${name}.crt`, signer.certPem);
  const input = work.write(`${name}.xml`, template);
  const output = work.path(`${name}.signed.xml`);
  const r = run(work, ["--sign", "--privkey-pem", `${key},${cert}`, ...idArgs(ids), "--output", output, input]);
  if (r.status !== 0) throw new Error(`xmlsec1 --sign failed: ${r.stderr}`);
  return work.read(`${name}.signed.xml`);
}

/** `xmlsec1 --verify --pubkey-cert-pem <cert>`: whether xmlsec1 finds the signature valid for that certificate's key. */
export function xmlsecVerifies(work: Workdir, xml: string, certPem: string, ids: IdAttribute[]): boolean {
  const name = `xmlsec-${randomUUID()}`;
  const cert = work.write(`${name}.crt`, certPem);
  const input = work.write(`${name}.xml`, xml);
  return run(work, ["--verify", "--pubkey-cert-pem", cert, ...idArgs(ids), input]).status === 0;
}
