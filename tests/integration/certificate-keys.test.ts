import { createPublicKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeCertificate } from "@/lib/crypto/certificates";
import {
  caChainPem,
  credentialSealContext,
  gatewayMleCertificatePem,
  loadOrCreateEnvironmentCredentials,
} from "@/lib/crypto/environment";
import { openSecret } from "@/lib/crypto/secrets";
import { prisma } from "@/lib/db";
import type { KeyType } from "@/lib/generated/prisma/enums";
import {
  createCertificateKey,
  createKeyFromCsr,
  createResponseMleKeyFromCertificate,
} from "@/lib/keys/certificate-keys";
import type { ServiceContext } from "@/lib/context";
import { expiryFor } from "@/lib/keys/types";
import { seed } from "../helpers/fixtures";
import { sdkJwt, sdkResponseMleKid, Workdir } from "../helpers/openssl";
import { rejectedAppError } from "../helpers/refusal";

const work = new Workdir();
const password = "Generate-Key-2026";
const merchantID = "merchant12378";
let ctx: ServiceContext;

beforeAll(async () => {
  await seed();
  const user = await prisma.user.findUniqueOrThrow({ where: { email: "merchant.admin@keycenter.test" } });
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: "merchant12378" } });
  ctx = {
    actor: { actorId: user.id, actorEmail: user.email, ip: "127.0.0.1", userAgent: "vitest" },
    org,
    environment: "TEST",
  };
  work.write("chain.pem", await caChainPem("TEST"));
});
afterAll(() => work.remove());

describe("REST – Certificate, Simple Order API and REST – API Response MLE P12 keys", () => {
  it("creates a REST – Certificate .p12 that openssl opens with the password and the SDK signs with", async () => {
    const { key, filename, p12 } = await createCertificateKey({ ctx, type: "REST_CERTIFICATE", password });
    expect(filename).toBe("merchant12378_rest.p12");
    expect(key.id).toMatch(/^[1-9]\d{18}$/);
    work.write("merchant12378.p12", p12);

    const info = work.pkcs12("merchant12378.p12", password, "-info", "-noout");
    expect(info).toContain("AES-256-CBC");
    const certs = work.pkcs12("merchant12378.p12", password, "-info", "-nokeys");
    expect(certs).toContain(`friendlyName: serialNumber=${key.id},CN=merchant12378`);
    expect(work.verifyP12Certificate("merchant12378.p12", password, "chain.pem")).toContain("leaf.pem: OK");

    const { header } = sdkJwt({ keysDirectory: work.dir, keyFileName: "merchant12378", keyPass: password, merchantID });
    expect(header.kid).toBe(key.id);
  });

  it("stores the certificate, not the private key, and audits the creation in the same transaction", async () => {
    const before = await prisma.auditEvent.count();
    const { key, p12 } = await createCertificateKey({ ctx, type: "REST_CERTIFICATE", password, name: "Checkout JWT" });
    const row = await prisma.key.findUniqueOrThrow({ where: { id: key.id } });
    expect(row).toMatchObject({
      type: "REST_CERTIFICATE",
      environment: "TEST",
      orgId: "merchant12378",
      name: "Checkout JWT",
      createdById: ctx.actor.actorId,
      secretCiphertext: null,
    });
    expect(row.expiresAt).toEqual(expiryFor("REST_CERTIFICATE", row.createdAt));
    const cert = describeCertificate(row.certificatePem!);
    expect(cert.subjectSerialNumber).toBe(key.id);
    expect(row.fingerprint).toBe(cert.fingerprintSha256);
    expect(row.details).toMatchObject({
      subject: `serialNumber=${key.id}, CN=merchant12378`,
      issuer: "O=KeyCenter, OU=Test, CN=KeyCenter Test Issuing CA",
      serialNumber: Buffer.from(key.id).toString("hex").toUpperCase(),
      notAfter: row.expiresAt.toISOString(),
      source: "generated",
    });
    expect(JSON.stringify(row)).not.toMatch(/PRIVATE KEY/);

    expect(await prisma.auditEvent.count()).toBe(before + 1);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "key.create", targetId: key.id } });
    expect(audit).toMatchObject({
      targetType: "key",
      orgId: "merchant12378",
      actorEmail: "merchant.admin@keycenter.test",
    });
    const text = JSON.stringify(audit.details);
    expect(text).not.toContain(password);
    expect(text).not.toMatch(/PRIVATE KEY/);
    expect(text).not.toContain(p12.toString("base64").slice(0, 40));
  });

  it.each<[KeyType, string, string]>([
    ["SIMPLE_ORDER", "Simple Order API", "merchant12378_simple_order.p12"],
    ["REST_RESPONSE_MLE", "REST – API Response MLE", "merchant12378_response_mle.p12"],
  ])("creates a %s .p12 of that type, named for it", async (type, label, name) => {
    const { key, p12, filename } = await createCertificateKey({ ctx, type: type as "SIMPLE_ORDER", password });
    expect(key.type).toBe(type);
    expect(key.name).toContain(label);
    expect(filename).toBe(name);
    work.write(`${type}.p12`, p12);
    const certs = work.pkcs12(`${type}.p12`, password, "-info", "-nokeys");
    expect(certs).toContain(`friendlyName: serialNumber=${key.id},CN=merchant12378`);
  });

  it("makes Response MLE P12s the SDK recognizes as Cybersource's, with the key ID as response MLE kid", async () => {
    const { key, p12 } = await createCertificateKey({ ctx, type: "REST_RESPONSE_MLE", password });
    const p12Path = work.write("response-mle.p12", p12);
    expect(sdkResponseMleKid({ p12Path, keyPass: password, merchantID: "merchant12378" })).toEqual({
      isCybersourceP12: true,
      kid: key.id,
    });
  });

  it("refuses a weak password beside the password field and writes nothing", async () => {
    const keys = await prisma.key.count();
    const e = await rejectedAppError(createCertificateKey({ ctx, type: "REST_CERTIFICATE", password: "short" }));
    expect(e.code).toBe("WEAK_PASSWORD");
    expect(e.fields?.password).toMatch(/at least 12 characters/);
    expect(await prisma.key.count()).toBe(keys);
  });

  it("refuses SOAP Toolkit keys (retired) and other non-certificate types", async () => {
    const soap = await rejectedAppError(
      createCertificateKey({ ctx, type: "SOAP_TOOLKIT" as "SIMPLE_ORDER", password }),
    );
    expect(soap.code).toBe("UNSUPPORTED_KEY_TYPE");
    const secret = await rejectedAppError(
      createCertificateKey({ ctx, type: "REST_SHARED_SECRET" as "SIMPLE_ORDER", password }),
    );
    expect(secret.code).toBe("UNSUPPORTED_KEY_TYPE");
  });
});

describe("Submit a Certificate Signing Request", () => {
  it("issues <merchant>_certChain.pem that the guide's openssl pkcs12 -export turns into a P12 the SDK signs with", async () => {
    work.csr({ keyout: "private_key.pem", out: "example.csr", cn: "merchant12378" });
    const { key, filename, pem } = await createKeyFromCsr({ ctx, csrPem: work.read("example.csr") });
    expect(filename).toBe("merchant12378_certChain.pem");
    expect(key).toMatchObject({ type: "REST_CERTIFICATE", orgId: "merchant12378" });
    expect((key.details as { source: string }).source).toBe("csr");
    work.write("merchant_certChain.pem", pem);
    expect(pem.match(/BEGIN CERTIFICATE/g)).toHaveLength(3);

    // The issued certificate certifies the CSR's key, and chains to the CA.
    work.opensslOk(["x509", "-in", "merchant_certChain.pem", "-out", "issued.pem"]);
    expect(work.opensslOk(["verify", "-CAfile", "chain.pem", "issued.pem"])).toContain("OK");
    expect(describeCertificate(work.read("issued.pem")).subjectSerialNumber).toBe(key.id);
    expect(createPublicKey(work.read("issued.pem")).export({ type: "spki", format: "pem" })).toBe(
      createPublicKey(work.read("private_key.pem")).export({ type: "spki", format: "pem" }),
    );

    // The guide's command; OpenSSL 3 prints subjects as "CN = x", so its sed needs -nameopt compat.
    work.bash(
      `openssl pkcs12 -export -name "$(printf 'serialnumber=%s,cn=%s' ` +
        `"$(openssl x509 -in merchant_certChain.pem -noout -serial | cut -d= -f2 | xxd -r -p)" ` +
        `"$(openssl x509 -in merchant_certChain.pem -noout -subject -nameopt compat | sed -n 's/.*CN=\\([^/]*\\).*/\\1/p')" )" ` +
        `-out merchant.p12 -inkey private_key.pem -in merchant_certChain.pem -passout pass:${password}`,
    );
    const info = work.pkcs12("merchant.p12", password, "-info", "-nokeys");
    expect(info).toContain(`friendlyName: serialnumber=${key.id},cn=merchant12378`);
    const { header } = sdkJwt({ keysDirectory: work.dir, keyFileName: "merchant", keyPass: password, merchantID });
    expect(header.kid).toBe(key.id);
  });

  it("refuses a CSR for another merchant with a message naming merchant12378, and writes nothing", async () => {
    work.csr({ keyout: "other.key", out: "other.csr", cn: "merchant12379" });
    const keys = await prisma.key.count();
    const audits = await prisma.auditEvent.count();
    const e = await rejectedAppError(createKeyFromCsr({ ctx, csrPem: work.read("other.csr") }));
    expect(e.code).toBe("CSR_COMMON_NAME");
    expect(e.fields?.csr).toContain("merchant12378");
    expect(await prisma.key.count()).toBe(keys);
    expect(await prisma.auditEvent.count()).toBe(audits);
  });
});

describe("REST – API Response MLE with your own certificate", () => {
  function selfSigned(name: string, bits = 2048): string {
    work.opensslOk([
      "req",
      "-x509",
      "-newkey",
      `rsa:${bits}`,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.pem`,
      "-days",
      "365",
      "-nodes",
      "-subj",
      "/CN=merchant12378",
    ]);
    return work.read(`${name}.pem`);
  }

  it("stores the pasted certificate under its serial number as key ID and returns it as .pem", async () => {
    const pem = selfSigned("mine");
    const serial = work.opensslOk(["x509", "-in", "mine.pem", "-noout", "-serial"]).trim().split("=")[1];
    const { key, filename, pem: download } = await createResponseMleKeyFromCertificate({ ctx, certificatePem: pem });
    expect(key.id).toBe(serial);
    expect(key.type).toBe("REST_RESPONSE_MLE");
    expect(filename).toBe(`merchant12378_response_mle_${serial}.pem`);
    expect(download).toBe(key.certificatePem);
    expect(describeCertificate(download).fingerprintSha256).toBe(describeCertificate(pem).fingerprintSha256);
    expect(key.expiresAt).toEqual(describeCertificate(pem).notAfter);
    expect(await prisma.auditEvent.count({ where: { action: "key.create", targetId: serial } })).toBe(1);

    const again = await rejectedAppError(createResponseMleKeyFromCertificate({ ctx, certificatePem: pem }));
    expect(again.code).toBe("DUPLICATE_KEY");
  });

  it("refuses an RSA-1024 certificate, a private key, a CSR and garbage, each with its own message", async () => {
    const cases = [
      [selfSigned("small", 1024), "CERTIFICATE_KEY_SIZE"],
      [work.read("mine.key") + work.read("mine.pem"), "PRIVATE_KEY_PASTED"],
      [work.read("example.csr"), "CERTIFICATE_IS_CSR"],
      ["not a certificate", "CERTIFICATE_UNREADABLE"],
    ] as const;
    const messages = new Set<string>();
    for (const [certificatePem, code] of cases) {
      const e = await rejectedAppError(createResponseMleKeyFromCertificate({ ctx, certificatePem }));
      expect(e.code).toBe(code);
      expect(e.fields?.certificate).toBe(e.userMessage);
      messages.add(e.userMessage);
    }
    expect(messages.size).toBe(cases.length);
  });
});

describe("environment CA and gateway MLE certificate", () => {
  it("creates one CA per environment even when first callers race", async () => {
    const results = await Promise.all([1, 2, 3].map(() => loadOrCreateEnvironmentCredentials("PRODUCTION")));
    const rows = await prisma.environmentCredential.findMany({ where: { environment: "PRODUCTION" } });
    expect(rows.map((r) => r.kind).sort()).toEqual(["GATEWAY_MLE", "ISSUING_CA", "ROOT_CA"]);
    expect(new Set(results.map((r) => r.rootCa.certificatePem)).size).toBe(1);
    expect(describeCertificate(results[0]!.rootCa.certificatePem).subject).toContain("KeyCenter Production Root CA");
  });

  it("keeps CA private keys sealed at rest, bound to environment and kind", async () => {
    const row = await prisma.environmentCredential.findUniqueOrThrow({
      where: { environment_kind: { environment: "TEST", kind: "ISSUING_CA" } },
    });
    expect(Buffer.from(row.privateKeyCiphertext).toString("latin1")).not.toMatch(/PRIVATE KEY/);
    expect(openSecret(row.privateKeyCiphertext, credentialSealContext("TEST", "ISSUING_CA")).toString()).toMatch(
      /BEGIN RSA PRIVATE KEY/,
    );
    expect(() => openSecret(row.privateKeyCiphertext, credentialSealContext("TEST", "ROOT_CA"))).toThrow();
  });

  it("offers the gateway MLE certificate (CN=CyberSource_SJC_US, own serialNumber) that every P12 carries", async () => {
    const pem = await gatewayMleCertificatePem("TEST");
    const d = describeCertificate(pem);
    expect(d.commonName).toBe("CyberSource_SJC_US");
    expect(d.subjectSerialNumber).toMatch(/^\d{19}$/);
    const certs = work.opensslOk(["pkcs12", "-nokeys", "-in", "merchant12378.p12", "-passin", `pass:${password}`]);
    expect(certs).toContain(pem.replace(/\n$/, "").split("\n").slice(1, -1).join("\n"));
    const test = describeCertificate((await loadOrCreateEnvironmentCredentials("TEST")).rootCa.certificatePem);
    const prod = describeCertificate((await loadOrCreateEnvironmentCredentials("PRODUCTION")).rootCa.certificatePem);
    expect(test.fingerprintSha256).not.toBe(prod.fingerprintSha256);
  });
});
