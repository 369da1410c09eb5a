import { createPrivateKey } from "node:crypto";
import forge from "node-forge";
import { GATEWAY_MLE_COMMON_NAME } from "@/lib/crypto/ca";
import { readP12 } from "@/lib/crypto/p12";
import { AppError } from "@/lib/errors";
import { explicitNameCommand } from "@/lib/keys/csr-commands";

/**
 * The Live Console reads uploaded .p12 files the way the official Cybersource SDK does
 * (../shared/CYBERSOURCE-SDK.md; node-forge, as the SDK): for JWT signing, the certificate
 * whose friendly name contains `cn=<merchant id>` (or the meta key owner's) and the first key;
 * for request MLE, the certificate whose subject CN is CyberSource_SJC_US; for response MLE,
 * the first key and, when no key ID is given, the serialNumber of the certificate whose CN is
 * the merchant's. The files and their passwords live only in this request: never stored, never
 * logged. Every refusal is a field message naming the fix.
 */

const CERT_BAG = forge.pki.oids.certBag!;
const KEY_BAGS = [forge.pki.oids.keyBag!, forge.pki.oids.pkcs8ShroudedKeyBag!];

function refuse(field: string, message: string): never {
  throw new AppError("INVALID_INPUT", message, { [field]: message });
}

function open(p12: Buffer, password: string, field: string): forge.pkcs12.Pkcs12Pfx {
  try {
    return readP12(p12, password);
  } catch {
    refuse(
      field,
      "The .p12 file could not be opened with this password. Check the password, and that the file is a .p12.",
    );
  }
}

function certBags(pfx: forge.pkcs12.Pkcs12Pfx): forge.pkcs12.Bag[] {
  return pfx.getBags({ bagType: CERT_BAG })[CERT_BAG] ?? [];
}

/** The first private key, as the SDK takes it (a keyBag, else a pkcs8ShroudedKeyBag). */
function firstKey(pfx: forge.pkcs12.Pkcs12Pfx): forge.pki.rsa.PrivateKey | undefined {
  for (const type of KEY_BAGS) {
    const key = pfx.getBags({ bagType: type })[type]?.[0]?.key;
    if (key) return key as forge.pki.rsa.PrivateKey;
  }
  return undefined;
}

function pkcs8Pem(key: forge.pki.rsa.PrivateKey): string {
  return createPrivateKey(forge.pki.privateKeyToPem(key)).export({ type: "pkcs8", format: "pem" }).toString();
}

const field = (cert: forge.pki.Certificate, type: string) =>
  cert.subject.getField(type === "CN" ? "CN" : { type })?.value as string | undefined;
const subjectCn = (cert: forge.pki.Certificate) => field(cert, "CN");
/** The subject serialNumber (OID 2.5.4.5): a KeyCenter key ID, and what the SDK puts in `kid`. */
const subjectSerial = (cert: forge.pki.Certificate) => field(cert, "2.5.4.5");

export interface SigningP12 {
  /** The private key as PKCS#8 PEM. */
  privateKeyPem: string;
  /** The JWT `kid`: the certificate's subject serialNumber (the key ID). */
  kid: string;
  /** The request-MLE certificate carried in the file (CN=CyberSource_SJC_US), as the SDK finds it by default. */
  requestMleCertificatePem?: string;
}

/**
 * Why no certificate bag names `owner`, and the fix: for a certificate of `owner` whose friendly
 * name lacks `cn=<owner>` (the guide's recipe on OpenSSL 3), the command that makes it again.
 */
function friendlyNameRefusal(pfx: forge.pkcs12.Pkcs12Pfx, key: forge.pki.rsa.PrivateKey, owner: string): never {
  const own = certBags(pfx).find((b) => {
    const pub = b.cert?.publicKey as forge.pki.rsa.PublicKey | undefined;
    return pub?.n && pub.n.equals(key.n);
  });
  const cert = own?.cert;
  if (!cert) refuse("p12", "This .p12 has no certificate for its private key.");
  const cn = subjectCn(cert);
  const keyId = subjectSerial(cert);
  const friendlyName = String(own.attributes.friendlyName?.[0] ?? "");
  if (cn && cn.toLowerCase() !== owner) {
    refuse(
      "p12",
      `This .p12 holds the certificate of ${cn}, not ${owner}. Enter ${cn} as the organization ID (with a meta key, as the meta key owner), or choose the .p12 of ${owner}.`,
    );
  }
  if (!keyId) {
    refuse(
      "p12",
      "The certificate in this .p12 has no serialNumber subject attribute (the key ID): use a .p12 with a KeyCenter REST – Certificate.",
    );
  }
  refuse(
    "p12",
    `This .p12's certificate has the friendly name "${friendlyName}", without cn=${owner}, so the SDK cannot find it ` +
      `(the guide's openssl pkcs12 -export command leaves cn= empty on OpenSSL 3). Make the .p12 again with: ` +
      explicitNameCommand({ keyId, orgId: cn ?? owner }),
  );
}

/** The key and certificate a REST – Certificate .p12 signs JWTs with, found as the SDK finds them. */
export function openSigningP12(input: { p12: Buffer; password: string; owner: string }): SigningP12 {
  const pfx = open(input.p12, input.password, "p12");
  const owner = input.owner.toLowerCase();
  const key = firstKey(pfx);
  if (!key) refuse("p12", "This .p12 has no private key.");
  const bags = certBags(pfx);
  const bag = bags.find((b) =>
    String(b.attributes.friendlyName?.[0] ?? "")
      .toLowerCase()
      .includes(`cn=${owner}`),
  );
  if (!bag?.cert) friendlyNameRefusal(pfx, key, owner);
  const kid = subjectSerial(bag.cert);
  if (!kid) {
    refuse("p12", "The certificate in this .p12 has no serialNumber subject attribute (the key ID).");
  }
  const mle = bags.find((b) => b.cert && subjectCn(b.cert)?.toLowerCase() === GATEWAY_MLE_COMMON_NAME.toLowerCase());
  return {
    privateKeyPem: pkcs8Pem(key),
    kid,
    requestMleCertificatePem: mle?.cert ? forge.pki.certificateToPem(mle.cert).replace(/\r\n/g, "\n") : undefined,
  };
}

export interface ResponseMleP12 {
  /** The key that decrypts responses (PKCS#8 PEM). */
  privateKeyPem: string;
  /** The serialNumber of the certificate whose CN is the merchant's (the SDK's auto-extracted key ID). */
  keyIdInFile?: string;
}

/** A REST – API Response MLE .p12: the decrypting key, and the key ID the SDK would extract from it. */
export function openResponseMleP12(input: { p12: Buffer; password: string; owner: string }): ResponseMleP12 {
  const pfx = open(input.p12, input.password, "responseMleP12");
  const key = firstKey(pfx);
  if (!key) refuse("responseMleP12", "This .p12 has no private key to decrypt the response with.");
  const owner = input.owner.toLowerCase();
  const mine = certBags(pfx).find((b) => b.cert && subjectCn(b.cert)?.toLowerCase() === owner);
  return { privateKeyPem: pkcs8Pem(key), keyIdInFile: mine?.cert ? subjectSerial(mine.cert) : undefined };
}
