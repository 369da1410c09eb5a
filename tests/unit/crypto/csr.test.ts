import { createPublicKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkCsr } from "@/lib/crypto/csr";
import { Workdir } from "../../helpers/openssl";
import { thrownAppError } from "../../helpers/refusal";

const work = new Workdir();
afterAll(() => work.remove());

/** The guide's command, with other key types and names where a test needs them. */
function csr(name: string, opts: { newkey?: string; cn?: string; extra?: string[] } = {}): string {
  return work.csr({ ...opts, keyout: `${name}.key`, out: `${name}.csr`, cn: opts.cn ?? "merchant12378" });
}

const refusal = (pem: string, orgId = "merchant12378") =>
  thrownAppError(() => checkCsr({ pem, orgId }), "the CSR was accepted");

let good: string;
beforeAll(() => {
  good = csr("good");
  csr("small", { newkey: "rsa:1024" });
  csr("ec", { newkey: "ec", extra: ["-pkeyopt", "ec_paramgen_curve:prime256v1"] });
  csr("other", { cn: "merchant99999" });
  work.opensslOk(["req", "-x509", "-key", "good.key", "-out", "cert.pem", "-days", "30", "-subj", "/CN=merchant12378"]);
});

/** Flips one bit inside the base64 body of a PEM, `fromEnd` DER bytes before its end. */
function flipByte(pem: string, fromEnd: number): string {
  const body = pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  const der = Buffer.from(body, "base64");
  der[der.length - fromEnd]! ^= 0x01;
  return `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString("base64").replace(/(.{64})/g, "$1\n")}\n-----END CERTIFICATE REQUEST-----\n`;
}

describe("CSR check", () => {
  it("accepts the guide's CSR and returns the public key of private_key.pem", () => {
    const checked = checkCsr({ pem: good, orgId: "merchant12378" });
    expect(checked.commonName).toBe("merchant12378");
    expect(checked.subject).toBe("CN=merchant12378");
    expect(checked.keyBits).toBe(2048);
    const fromKey = createPublicKey(work.read("good.key")).export({ type: "spki", format: "pem" });
    expect(checked.publicKeyPem).toBe(fromKey);
  });

  it("accepts a CSR pasted with surrounding blank lines and an RSA-4096 key", () => {
    const big = csr("big", { newkey: "rsa:4096" });
    expect(checkCsr({ pem: `\n\n  ${big}\n\n`, orgId: "merchant12378" }).keyBits).toBe(4096);
  });

  it("refuses text that is not PEM at all", () => {
    const e = refusal("hello, this is not a CSR");
    expect(e.code).toBe("CSR_UNREADABLE");
    expect(e.fields).toEqual({ csr: e.userMessage });
    expect(e.userMessage).toMatch(/not a certificate signing request/);
  });

  it("refuses a PEM whose base64 body is damaged", () => {
    const damaged = good.replace(/(BEGIN CERTIFICATE REQUEST-----\n)[\s\S]{40}/, "$1AAAA");
    expect(refusal(damaged).code).toBe("CSR_UNREADABLE");
  });

  it("refuses an X.509 certificate pasted instead of a CSR, and says so", () => {
    const e = refusal(work.read("cert.pem"));
    expect(e.code).toBe("CSR_IS_CERTIFICATE");
    expect(e.userMessage).toMatch(/This is a certificate, not a certificate signing request/);
  });

  it("refuses an RSA-1024 key, naming its size and the minimum", () => {
    const e = refusal(work.read("small.csr"));
    expect(e.code).toBe("CSR_KEY_SIZE");
    expect(e.userMessage).toMatch(/1024 bits.*at least 2048 bits/);
  });

  it("refuses an EC key: only RSA is accepted", () => {
    const e = refusal(work.read("ec.csr"));
    expect(e.code).toBe("CSR_KEY_TYPE");
    expect(e.userMessage).toMatch(/EC \(prime256v1\) key.*Only RSA keys/);
  });

  it("refuses a CSR whose CN is not the merchant ID, naming the expected merchant ID", () => {
    const e = refusal(work.read("other.csr"));
    expect(e.code).toBe("CSR_COMMON_NAME");
    expect(e.userMessage).toContain("CN=merchant99999");
    expect(e.userMessage).toContain("must be your merchant ID, merchant12378");
    expect(e.fields?.csr).toBe(e.userMessage);
  });

  it("refuses a CSR with a tampered signature", () => {
    const e = refusal(flipByte(good, 5));
    expect(e.code).toBe("CSR_SIGNATURE");
    expect(e.userMessage).toMatch(/signature does not match/);
  });

  it("refuses a CSR whose signed contents were changed after signing", () => {
    // Turn the CN merchant12378 into merchant12379 inside the signed request info.
    const der = Buffer.from(good.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
    const at = der.indexOf(Buffer.from("merchant12378"));
    der[at + 12] = "9".charCodeAt(0);
    const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString("base64")}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(refusal(pem, "merchant12379").code).toBe("CSR_SIGNATURE");
  });

  it("gives every kind of bad CSR its own message", () => {
    const messages = [
      refusal("garbage"),
      refusal(work.read("cert.pem")),
      refusal(work.read("small.csr")),
      refusal(work.read("ec.csr")),
      refusal(work.read("other.csr")),
      refusal(flipByte(good, 5)),
    ].map((e) => e.userMessage);
    expect(new Set(messages).size).toBe(messages.length);
  });
});
