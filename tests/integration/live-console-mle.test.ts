import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeProtectedHeader } from "jose";
import { gatewayMleCertificatePem, environmentCredentials } from "@/lib/crypto/environment";
import { describeCertificate } from "@/lib/crypto/certificates";
import { decryptRequest, encryptResponse } from "@/lib/gateway/mle";
import { createCertificateKey, createKeyFromCsr } from "@/lib/keys/certificate-keys";
import { explicitNameCommand, guideRecipeCommand } from "@/lib/keys/csr-commands";
import { SAMPLE_PAYMENT } from "@/lib/gateway/client";
import { decryptResponseLikeSdk, encryptRequestLikeSdk } from "@/lib/live-console/mle";
import { openResponseMleP12, openSigningP12 } from "@/lib/live-console/p12";
import { sendLiveConsole } from "@/lib/live-console/send";
import type { ServiceContext } from "@/lib/context";
import { seed, serviceContext } from "../helpers/fixtures";
import { sdkResponseMleKid, Workdir } from "../helpers/openssl";
import { rejectedAppError, thrownAppError } from "../helpers/refusal";
import { startServedApp, type ServedApp } from "../helpers/served-app";

/**
 * The Live Console's message-level encryption (SPEC G4, G6): the .p12 files read as the official
 * SDK reads them, the request encrypted as the SDK encrypts it (checked against the SDK itself and
 * the gateway's decryption), the response decrypted as the SDK decrypts it; the refusal of a .p12
 * whose friendly name lost its cn= names the command that fixes it; and a whole Send Request with
 * Message Level Encryption through the served app.
 */
const work = new Workdir();
const require = createRequire(import.meta.url);
const sdk = "cybersource-rest-client/src/authentication";
const password = "Live-Console-Mle-26";
const merchantID = "merchant12378";
let ctx: ServiceContext;
let rest: { id: string; p12: Buffer };
let responseMle: { id: string; p12: Buffer };

beforeAll(async () => {
  await seed();
  ctx = await serviceContext(merchantID);
  const r = await createCertificateKey({ ctx, type: "REST_CERTIFICATE", password });
  rest = { id: r.key.id, p12: r.p12 };
  work.write(`${merchantID}_rest.p12`, r.p12);
  const m = await createCertificateKey({ ctx, type: "REST_RESPONSE_MLE", password });
  responseMle = { id: m.key.id, p12: m.p12 };
  work.write(`${merchantID}_response_mle.p12`, m.p12);
});
afterAll(() => work.remove());

describe("the .p12 files, read as the SDK reads them", () => {
  it("a REST – Certificate .p12: the key ID as kid, and the CyberSource_SJC_US certificate it carries", async () => {
    const opened = openSigningP12({ p12: rest.p12, password, owner: merchantID });
    expect(opened.kid).toBe(rest.id);
    expect(opened.requestMleCertificatePem?.trim()).toBe((await gatewayMleCertificatePem("TEST")).trim());
  });

  it("a REST – API Response MLE .p12: the key ID the SDK extracts from it", () => {
    const opened = openResponseMleP12({ p12: responseMle.p12, password, owner: merchantID });
    expect(opened.keyIdInFile).toBe(responseMle.id);
    const fromSdk = sdkResponseMleKid({
      p12Path: work.path(`${merchantID}_response_mle.p12`),
      keyPass: password,
      merchantID,
    });
    expect(fromSdk.kid).toBe(opened.keyIdInFile);
  });

  it("a wrong password or a file that is no .p12 is a field message", async () => {
    for (const [p12, pw] of [
      [rest.p12, "Wrong-Password-1"],
      [Buffer.from("not a p12 at all"), password],
    ] as const) {
      const e = thrownAppError(() => openSigningP12({ p12, password: pw, owner: merchantID }));
      expect(e.fields?.p12).toMatch(/could not be opened with this password/);
      const m = thrownAppError(() => openResponseMleP12({ p12, password: pw, owner: merchantID }));
      expect(m.fields?.responseMleP12).toMatch(/could not be opened with this password/);
    }
  });

  it("refuses a .p12 made with the guide's command as printed (cn= empty) and says the command that fixes it", async () => {
    work.csr({ keyout: "private_key.pem", out: "example.csr", cn: merchantID });
    const { key, filename, pem } = await createKeyFromCsr({ ctx, csrPem: work.read("example.csr") });
    work.write(filename, pem);
    const asPrinted = guideRecipeCommand(merchantID)
      .replace(" -nameopt compat", "")
      .replace(`-out ${merchantID}_rest.p12`, "-out broken.p12");
    const r = spawnSync("bash", ["-euo", "pipefail", "-c", `${asPrinted} -passout pass:${password}`], {
      cwd: work.dir,
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    const broken = work.pkcs12("broken.p12", password, "-info", "-nokeys");
    expect(broken).toContain(`friendlyName: serialnumber=${key.id},cn=\n`);

    const e = thrownAppError(() =>
      openSigningP12({ p12: readFileSync(work.path("broken.p12")), password, owner: merchantID }),
    );
    expect(e.fields?.p12).toContain(`without cn=${merchantID}`);
    expect(e.fields?.p12).toContain(explicitNameCommand({ keyId: key.id, orgId: merchantID }));

    // And a .p12 of another merchant is named as such.
    const other = thrownAppError(() => openSigningP12({ p12: rest.p12, password, owner: "merchant12379" }));
    expect(other.fields?.p12).toContain(`holds the certificate of ${merchantID}, not merchant12379`);
  });
});

describe("request and response encryption, as the SDK does them", () => {
  it("encrypts the request as the SDK does: same protected header, and the gateway decrypts it", async () => {
    const certificatePem = await gatewayMleCertificatePem("TEST");
    const body = JSON.parse(SAMPLE_PAYMENT);
    const ours = JSON.parse(await encryptRequestLikeSdk(body, certificatePem)) as { encryptedRequest: string };
    expect(Object.keys(ours)).toEqual(["encryptedRequest"]);

    const MerchantConfig = require(`${sdk}/core/MerchantConfig.js`);
    const MLEUtility = require(`${sdk}/util/MLEUtility.js`);
    const config = new MerchantConfig({
      authenticationType: "jwt",
      merchantID,
      runEnvironment: "apitest.cybersource.com",
      keysDirectory: work.dir,
      keyFileName: `${merchantID}_rest`,
      keyAlias: merchantID,
      keyPass: password,
      logConfiguration: {},
    });
    const theirs = (await MLEUtility.encryptRequestPayload(config, body)) as { encryptedRequest: string };
    const header = decodeProtectedHeader(ours.encryptedRequest);
    const sdkHeader = decodeProtectedHeader(theirs.encryptedRequest);
    expect({ ...header, iat: 0 }).toEqual({ ...sdkHeader, iat: 0 });
    expect(header).toMatchObject({
      alg: "RSA-OAEP-256",
      enc: "A256GCM",
      cty: "JWT",
      kid: describeCertificate(certificatePem).subjectSerialNumber,
    });

    const gatewayKey = (await environmentCredentials("TEST")).gatewayMle.privateKeyPem;
    const plain = new TextDecoder().decode(await decryptRequest(ours.encryptedRequest, gatewayKey));
    expect(plain).toBe(JSON.stringify(body));
    expect(new TextDecoder().decode(await decryptRequest(theirs.encryptedRequest, gatewayKey))).toBe(plain);
  });

  it("decrypts the gateway's encrypted response with the Response MLE .p12's key, as the SDK does", async () => {
    const m = await createCertificateKey({ ctx, type: "REST_RESPONSE_MLE", password });
    const answer = JSON.stringify({ status: "AUTHORIZED", id: "7000000000000000000000" });
    const wrapped = JSON.parse(await encryptResponse(answer, m.key.certificatePem!, m.key.id)) as {
      encryptedResponse: string;
    };
    const { privateKeyPem } = openResponseMleP12({ p12: m.p12, password, owner: merchantID });
    expect(await decryptResponseLikeSdk(wrapped.encryptedResponse, privateKeyPem)).toBe(answer);
    const JWEUtility = require(`${sdk}/util/JWEUtility.js`);
    expect(await JWEUtility.decryptJWEUsingPrivateKey(privateKeyPem, wrapped.encryptedResponse)).toBe(answer);

    // Another key's .p12 cannot: a field message, not a crash.
    const wrong = openResponseMleP12({ p12: rest.p12, password, owner: merchantID });
    const e = await rejectedAppError(decryptResponseLikeSdk(wrapped.encryptedResponse, wrong.privateKeyPem));
    expect(e.fields?.responseMleP12).toMatch(/could not be decrypted/);
  });
});

describe("Send Request with Message Level Encryption, through the served app", () => {
  let app: ServedApp | undefined;
  const before = process.env.KEYCENTER_INTERNAL_URL;
  beforeAll(async () => {
    app = await startServedApp();
    process.env.KEYCENTER_INTERNAL_URL = app.base;
  }, 900_000);
  afterAll(async () => {
    if (before === undefined) delete process.env.KEYCENTER_INTERNAL_URL;
    else process.env.KEYCENTER_INTERNAL_URL = before;
    await app?.stop();
  });

  const send = (extra: Partial<Parameters<typeof sendLiveConsole>[0]> = {}) =>
    sendLiveConsole({
      authType: "jwt",
      merchantId: merchantID,
      p12: rest.p12,
      password,
      body: SAMPLE_PAYMENT,
      messageLevelEncryption: true,
      ...extra,
    });

  it("201 with the body encrypted, the raw response a JWE and the decrypted one beside it", async () => {
    const r = await send({ responseMle: { keyId: responseMle.id, p12: responseMle.p12, password } });
    expect(r.response.status).toBe(201);
    expect(Object.keys(JSON.parse(r.request.encryptedBody!))).toEqual(["encryptedRequest"]);
    expect(r.request.mle).toMatchObject({ certificateFrom: "p12", responseMleKeyId: responseMle.id });
    expect(Object.keys(JSON.parse(r.response.body))).toEqual(["encryptedResponse"]);
    expect(r.decrypted && "body" in r.decrypted).toBe(true);
    const decrypted = JSON.parse((r.decrypted as { body: string }).body);
    expect(decrypted).toMatchObject({ status: "AUTHORIZED", clientReferenceInformation: { code: "TC50171_3" } });
  });

  it("the key ID read from the Response MLE .p12 when none is typed; without a .p12 the answer stays encrypted", async () => {
    const auto = await send({ responseMle: { p12: responseMle.p12, password } });
    expect(auto.request.mle?.responseMleKeyId).toBe(responseMle.id);
    expect(auto.decrypted && "body" in auto.decrypted).toBe(true);

    const noP12 = await send({ responseMle: { keyId: responseMle.id } });
    expect(noP12.response.status).toBe(201);
    expect(noP12.decrypted).toMatchObject({ error: expect.stringMatching(/MLE Configuration/) });

    const requestOnly = await send();
    expect(requestOnly.response.status).toBe(201);
    expect(JSON.parse(requestOnly.response.body)).toMatchObject({ status: "AUTHORIZED" });
    expect(requestOnly.decrypted).toBeUndefined();
  });

  it("refuses MLE with HTTP Signature as the SDK does not support it: a field message", async () => {
    const e = await rejectedAppError(
      send({ authType: "http_signature", keyId: "k", sharedSecret: "c2VjcmV0", p12: undefined }),
    );
    expect(e.fields?.authType).toMatch(/JSON Web Token/);
  });
});
