import { createPrivateKey, createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import forge from "node-forge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chainPem, createEnvironmentIdentity, GATEWAY_MLE_COMMON_NAME } from "@/lib/crypto/ca";
import { issueKeyCertificate, wholeSeconds } from "@/lib/crypto/certificates";
import { generateRsaKeyPair } from "@/lib/crypto/keypair";
import { buildP12, p12FriendlyName, p12PasswordProblem, readP12, setP12PasswordSchema } from "@/lib/crypto/p12";
import { certificateKeyId } from "@/lib/keys/ids";
import { expiryFor } from "@/lib/keys/types";
import { sdkJwt, Workdir } from "../../helpers/openssl";

const work = new Workdir();
const password = "Correct-Horse-42";
const keyId = certificateKeyId();
let identity: Awaited<ReturnType<typeof createEnvironmentIdentity>>;
let privateKeyPem: string;
let certificatePem: string;

beforeAll(async () => {
  identity = await createEnvironmentIdentity({ environment: "TEST" });
  const pair = await generateRsaKeyPair();
  privateKeyPem = pair.privateKeyPem;
  const now = wholeSeconds(new Date());
  certificatePem = issueKeyCertificate({
    keyId,
    orgId: "merchant12378",
    publicKeyPem: pair.publicKeyPem,
    notBefore: now,
    notAfter: expiryFor("REST_CERTIFICATE", now),
    issuer: identity.issuingCa,
  });
  work.write(
    "merchant12378.p12",
    buildP12({
      privateKeyPem,
      certificatePem,
      friendlyName: p12FriendlyName(keyId, "merchant12378"),
      chainPems: [identity.issuingCa.certificatePem, identity.rootCa.certificatePem],
      extraCertificates: [{ pem: identity.gatewayMle.certificatePem, friendlyName: GATEWAY_MLE_COMMON_NAME }],
      password,
    }),
  );
  work.write("chain.pem", chainPem(identity));
});
afterAll(() => work.remove());

describe("PKCS#12", () => {
  it("opens in OpenSSL 3 without -legacy: AES-256-CBC key bag (PBES2) and a SHA-256 MAC", () => {
    const info = work.opensslOk([
      "pkcs12",
      "-info",
      "-noout",
      "-in",
      "merchant12378.p12",
      "-passin",
      `pass:${password}`,
    ]);
    expect(info).toContain("MAC: sha256");
    expect(info).toContain("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC");
    expect(info).toContain("PRF hmacWithSHA256");
  });

  it("refuses a wrong password (the MAC does not verify)", () => {
    const r = work.openssl(["pkcs12", "-info", "-noout", "-in", "merchant12378.p12", "-passin", "pass:Wrong-Horse-42"]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/Mac verify error/);
  });

  it("names the key's certificate serialNumber=<key id>,CN=<org id> and carries the chain and the gateway MLE certificate", () => {
    const out = work.opensslOk([
      "pkcs12",
      "-info",
      "-nokeys",
      "-in",
      "merchant12378.p12",
      "-passin",
      `pass:${password}`,
    ]);
    expect(out).toContain(`friendlyName: serialNumber=${keyId},CN=merchant12378`);
    const subjects = [...out.matchAll(/^subject=(.*)$/gm)].map((m) => m[1]);
    expect(subjects).toEqual([
      `serialNumber = ${keyId}, CN = merchant12378`,
      "O = KeyCenter, OU = Test, CN = KeyCenter Test Issuing CA",
      "O = KeyCenter, OU = Test, CN = KeyCenter Test Root CA",
      expect.stringMatching(/^serialNumber = \d{19}, CN = CyberSource_SJC_US$/),
    ]);
    expect(out).toContain("friendlyName: CyberSource_SJC_US");
  });

  it("holds the private key of the certificate, which openssl extracts and verifies against the chain", () => {
    work.pkcs12("merchant12378.p12", password, "-nodes", "-out", "all.pem");
    const extracted = createPrivateKey(work.read("all.pem"));
    expect(createPublicKey(extracted).export({ type: "spki", format: "pem" })).toBe(
      createPublicKey(privateKeyPem).export({ type: "spki", format: "pem" }),
    );
    expect(work.verifyP12Certificate("merchant12378.p12", password, "chain.pem")).toContain("OK");
  });

  it("is read by node-forge (the SDK's parser) with the key first and the friendly name on the certificate", () => {
    const p12 = readP12(readFileSync(work.path("merchant12378.p12")), password);
    const keyBag = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[
      forge.pki.oids.pkcs8ShroudedKeyBag!
    ]![0]!;
    expect(keyBag.key).toBeTruthy();
    const certs = p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!]!;
    expect(certs[0]!.attributes.friendlyName).toEqual([`serialNumber=${keyId},CN=merchant12378`]);
    expect(certs).toHaveLength(4);
  });

  it("lets the official SDK build a JWT whose kid is the key ID", () => {
    const { header, claims } = sdkJwt({
      keysDirectory: work.dir,
      keyFileName: "merchant12378",
      keyPass: password,
      merchantID: "merchant12378",
    });
    expect(header).toEqual({ typ: "JWT", alg: "RS256", kid: keyId });
    expect(claims).toMatchObject({ iss: "merchant12378", "v-c-merchant-id": "merchant12378" });
  });
});

describe("P12 password rules", () => {
  it.each([
    ["short1A!", /at least 12 characters/],
    ["alllowercaseletters", /three of/],
    ["lowercaseanddigits123", /three of/],
    ["Pässwörd-1234", /standard keyboard/],
  ])("refuses %j", (pw, message) => {
    expect(p12PasswordProblem(pw)).toMatch(message);
  });

  it("accepts 12+ printable characters of three kinds", () => {
    expect(p12PasswordProblem("Correct-Horse-42")).toBeNull();
    expect(p12PasswordProblem("correct horse 42")).toBeNull();
  });

  it("gives the Set a Password form field errors, including a mismatch on Confirm Password", () => {
    const mismatch = setP12PasswordSchema.safeParse({
      password: "Correct-Horse-42",
      confirmPassword: "Correct-Horse-43",
    });
    expect(mismatch.success).toBe(false);
    expect(mismatch.error?.issues[0]).toMatchObject({
      path: ["confirmPassword"],
      message: "The passwords do not match.",
    });
    const weak = setP12PasswordSchema.safeParse({ password: "short", confirmPassword: "short" });
    expect(weak.error?.issues[0]?.path).toEqual(["password"]);
  });
});
