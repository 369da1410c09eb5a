import { downloadName } from "./types";

/**
 * Submit a Certificate Signing Request, then turn the issued chain into a .p12 (SPEC K2).
 *
 * The guide's `openssl pkcs12 -export` recipe reads the CN with `openssl x509 -noout -subject |
 * sed 's/.*CN=\([^/]*\).*\/\1/'`, written for OpenSSL 1.x's `/serialNumber=…/CN=…` output.
 * OpenSSL 3 prints `serialNumber = …, CN = …`, the sed finds nothing, the friendly name ends in
 * an empty `cn=`, and the SDK (which looks for a certificate whose friendly name contains
 * `cn=<merchant id>`) cannot use the file. These are the commands that work today, with the
 * key ID and merchant ID filled in. One source for the CSR result screen, the Live Console's
 * refusal of such a file, and the test that runs them (tests/integration/csr-commands.test.ts).
 * Pure strings: safe in the browser.
 */

export interface CsrP12Names {
  /** The key ID: the issued certificate's subject serialNumber. */
  keyId: string;
  /** The organization that owns the key: the certificate's CN (the MID, or a meta key's owner). */
  orgId: string;
}

/** The files the commands read and write: the guide's private key, our download, the .p12. */
export function csrP12Files(orgId: string) {
  return {
    privateKey: "private_key.pem",
    certChain: `${orgId}_certChain.pem`,
    p12: downloadName("REST_CERTIFICATE", orgId, ".p12"),
  };
}

/** The friendly name the SDK looks for: `serialNumber=<key id>,CN=<org id>` (as KeyCenter's own .p12 files carry). */
export function sdkFriendlyName({ keyId, orgId }: CsrP12Names): string {
  return `serialNumber=${keyId},CN=${orgId}`;
}

/** One shell word: as it is when it holds nothing a shell treats specially, else single-quoted. */
function word(s: string): string {
  return /^[A-Za-z0-9_.,=:/+-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/** The .p12 with the friendly name given explicitly: works with every OpenSSL. */
export function explicitNameCommand(names: CsrP12Names): string {
  const f = csrP12Files(names.orgId);
  return [
    "openssl pkcs12 -export",
    `-name ${word(sdkFriendlyName(names))}`,
    `-inkey ${word(f.privateKey)}`,
    `-in ${word(f.certChain)}`,
    `-out ${word(f.p12)}`,
  ].join(" ");
}

/** The guide's own recipe, with `-nameopt compat` so OpenSSL 3 prints the subject as OpenSSL 1.x did. */
export function guideRecipeCommand(orgId: string): string {
  const f = csrP12Files(orgId);
  const chain = word(f.certChain);
  return (
    `openssl pkcs12 -export -name "$(printf 'serialnumber=%s,cn=%s' ` +
    `"$(openssl x509 -in ${chain} -noout -serial | cut -d= -f2 | xxd -r -p)" ` +
    `"$(openssl x509 -in ${chain} -noout -subject -nameopt compat | sed -n 's/.*CN=\\([^/]*\\).*/\\1/p')" )" ` +
    `-out ${word(f.p12)} -inkey ${word(f.privateKey)} -in ${chain}`
  );
}

export interface CsrP12Command {
  title: string;
  command: string;
}

/** What the CSR result screen shows, in this order: the explicit name first, then the guide's recipe fixed. */
export function csrToP12Commands(names: CsrP12Names): CsrP12Command[] {
  return [
    { title: "With the friendly name given explicitly (any OpenSSL)", command: explicitNameCommand(names) },
    { title: "The guide's command, with -nameopt compat for OpenSSL 3", command: guideRecipeCommand(names.orgId) },
  ];
}
