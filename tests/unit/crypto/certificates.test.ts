import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chainPem, createEnvironmentIdentity, GATEWAY_MLE_COMMON_NAME } from "@/lib/crypto/ca";
import {
  describeCertificate,
  issueKeyCertificate,
  keyIdFromX509Serial,
  wholeSeconds,
  x509SerialForKeyId,
} from "@/lib/crypto/certificates";
import { generateRsaKeyPair } from "@/lib/crypto/keypair";
import { certificateKeyId } from "@/lib/keys/ids";
import { expiryFor } from "@/lib/keys/types";
import { Workdir } from "../../helpers/openssl";

let identity: Awaited<ReturnType<typeof createEnvironmentIdentity>>;
const work = new Workdir();

beforeAll(async () => {
  identity = await createEnvironmentIdentity({ environment: "TEST" });
  work.write("chain.pem", chainPem(identity));
});
afterAll(() => work.remove());

async function issued(keyId = certificateKeyId(), orgId = "merchant12378") {
  const pair = await generateRsaKeyPair();
  const now = wholeSeconds(new Date());
  const pem = issueKeyCertificate({
    keyId,
    orgId,
    publicKeyPem: pair.publicKeyPem,
    notBefore: now,
    notAfter: expiryFor("REST_CERTIFICATE", now),
    issuer: identity.issuingCa,
  });
  return { pem, keyId, now };
}

describe("key IDs and X.509 serials", () => {
  it("writes the key ID's ASCII text as the serial, and hex-decoding gives the key ID back", () => {
    expect(x509SerialForKeyId("1234567890123456789")).toBe("31323334353637383930313233343536373839");
    const id = certificateKeyId();
    expect(keyIdFromX509Serial(x509SerialForKeyId(id).toUpperCase())).toBe(id);
  });

  it("refuses to make a serial of something that is not a certificate key ID", () => {
    expect(() => x509SerialForKeyId("not-an-id")).toThrow();
    expect(() => x509SerialForKeyId("0123")).toThrow();
  });
});

describe("issued certificates", () => {
  it("carries serialNumber=<key id> and CN=<org id>, signed by the issuing CA; openssl verify accepts it", async () => {
    const { pem, keyId } = await issued();
    work.write("leaf.pem", pem);
    expect(work.opensslOk(["verify", "-CAfile", "chain.pem", "leaf.pem"])).toContain("leaf.pem: OK");
    const subject = work.opensslOk(["x509", "-in", "leaf.pem", "-noout", "-subject"]);
    expect(subject.trim()).toBe(`subject=serialNumber = ${keyId}, CN = merchant12378`);
    const d = describeCertificate(pem);
    expect(d.subjectSerialNumber).toBe(keyId);
    expect(d.commonName).toBe("merchant12378");
    expect(d.issuer).toBe("O=KeyCenter, OU=Test, CN=KeyCenter Test Issuing CA");
  });

  it("lets the guide's shell pipeline read the key ID from the serial and the CN from the subject", async () => {
    const { pem, keyId } = await issued();
    work.write("merchant_certChain.pem", pem + chainPem(identity));
    const name = work.bash(
      `printf 'serialnumber=%s,cn=%s' "$(openssl x509 -in merchant_certChain.pem -noout -serial | cut -d= -f2 | xxd -r -p)" ` +
        `"$(openssl x509 -in merchant_certChain.pem -noout -subject -nameopt compat | sed -n 's/.*CN=\\([^/]*\\).*/\\1/p')"`,
    );
    expect(name).toBe(`serialnumber=${keyId},cn=merchant12378`);
  });

  it("is valid for the registry lifetime from issuance (36 months for REST – Certificate)", async () => {
    const { pem, now } = await issued();
    const d = describeCertificate(pem);
    expect(d.notBefore).toEqual(now);
    expect(d.notAfter).toEqual(expiryFor("REST_CERTIFICATE", now));
    expect(d.notAfter.getUTCFullYear() - now.getUTCFullYear()).toBe(3);
  });

  it("writes org IDs with underscores as UTF8String, which openssl prints unchanged", async () => {
    const { pem } = await issued(certificateKeyId(), "acme_acct");
    work.write("acct.pem", pem);
    expect(work.opensslOk(["x509", "-in", "acct.pem", "-noout", "-subject"])).toContain("CN = acme_acct");
    expect(work.opensslOk(["asn1parse", "-in", "acct.pem"])).toMatch(/UTF8STRING\s+:acme_acct/);
  });

  it("describes a certificate as openssl does: serial, SHA-256 fingerprint, dates", async () => {
    const { pem } = await issued();
    work.write("d.pem", pem);
    const d = describeCertificate(pem);
    const serial = work.opensslOk(["x509", "-in", "d.pem", "-noout", "-serial"]).trim();
    expect(serial).toBe(`serial=${d.serialNumber}`);
    const fp = work.opensslOk(["x509", "-in", "d.pem", "-noout", "-fingerprint", "-sha256"]).trim();
    expect(fp.split("=")[1]!.replace(/:/g, "")).toBe(d.fingerprintSha256);
    expect(d.keyType).toBe("rsa");
    expect(d.keyBits).toBe(2048);
  });
});

describe("environment identity", () => {
  it("has a self-signed root CA and an issuing CA limited to end-entity certificates", () => {
    work.write("root.pem", identity.rootCa.certificatePem);
    work.write("issuing.pem", identity.issuingCa.certificatePem);
    const root = work.opensslOk(["x509", "-in", "root.pem", "-noout", "-text"]);
    expect(root).toContain("CA:TRUE");
    expect(describeCertificate(identity.rootCa.certificatePem).issuer).toBe(
      describeCertificate(identity.rootCa.certificatePem).subject,
    );
    expect(work.opensslOk(["x509", "-in", "issuing.pem", "-noout", "-text"])).toContain("CA:TRUE, pathlen:0");
    expect(work.opensslOk(["verify", "-CAfile", "root.pem", "issuing.pem"])).toContain("OK");
  });

  it("has a gateway MLE certificate CN=CyberSource_SJC_US with its own subject serialNumber", () => {
    const d = describeCertificate(identity.gatewayMle.certificatePem);
    expect(d.commonName).toBe(GATEWAY_MLE_COMMON_NAME);
    expect(d.subjectSerialNumber).toMatch(/^[1-9][0-9]{18}$/);
    work.write("mle.pem", identity.gatewayMle.certificatePem);
    expect(work.opensslOk(["verify", "-CAfile", "chain.pem", "mle.pem"])).toContain("mle.pem: OK");
    expect(work.opensslOk(["x509", "-in", "mle.pem", "-noout", "-text"])).toContain("Key Encipherment");
  });
});
