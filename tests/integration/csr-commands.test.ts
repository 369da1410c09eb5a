import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caChainPem } from "@/lib/crypto/environment";
import { createKeyFromCsr } from "@/lib/keys/certificate-keys";
import { csrP12Files, csrToP12Commands, explicitNameCommand, guideRecipeCommand } from "@/lib/keys/csr-commands";
import type { ServiceContext } from "@/lib/context";
import { seed, serviceContext } from "../helpers/fixtures";
import { sdkJwt, Workdir } from "../helpers/openssl";

/**
 * SPEC K2: the commands the CSR result screen shows (lib/keys/csr-commands.ts, the same
 * function the screen calls) run as they are, with the real openssl, on a certificate KeyCenter
 * issued for the guide's CSR, and the .p12 they make is one the official SDK signs with.
 */
const work = new Workdir();
const password = "Csr-To-P12-2026";
const merchantID = "merchant12378";
let ctx: ServiceContext;
let keyId: string;

/**
 * Runs a displayed command in bash on a terminal (script(1) gives it one), typing the export
 * password twice when openssl asks ("When prompted, set a password for the .p12 file").
 */
function runAsDisplayed(command: string): void {
  const r = spawnSync("script", ["-qec", command, "/dev/null"], {
    cwd: work.dir,
    input: `${password}\n${password}\n`,
    encoding: "utf8",
    env: { ...process.env, SHELL: "/bin/bash" },
    timeout: 30_000,
  });
  if (r.status !== 0) throw new Error(`${command} failed (${r.status}): ${r.stdout}${r.stderr}`);
}

beforeAll(async () => {
  await seed();
  ctx = await serviceContext(merchantID);
  work.write("chain.pem", await caChainPem("TEST"));
  // The guide's CSR command, then Submit a Certificate Signing Request: <merchant>_certChain.pem.
  work.csr({ keyout: "private_key.pem", out: "example.csr", cn: merchantID });
  const { key, filename, pem } = await createKeyFromCsr({ ctx, csrPem: work.read("example.csr") });
  keyId = key.id;
  expect(filename).toBe(csrP12Files(merchantID).certChain);
  work.write(filename, pem);
});
afterAll(() => work.remove());

describe("the CSR result's .p12 commands", () => {
  it("fills in the key ID and MID and names the files the guide and the download use", () => {
    const commands = csrToP12Commands({ keyId, orgId: merchantID });
    expect(commands.map((c) => c.command)).toEqual([
      `openssl pkcs12 -export -name serialNumber=${keyId},CN=${merchantID} -inkey private_key.pem ` +
        `-in ${merchantID}_certChain.pem -out ${merchantID}_rest.p12`,
      guideRecipeCommand(merchantID),
    ]);
    expect(guideRecipeCommand(merchantID)).toContain("-nameopt compat");
  });

  it.each([0, 1])("command %i, run as displayed, makes a .p12 openssl opens and the official SDK signs with", (i) => {
    const { command } = csrToP12Commands({ keyId, orgId: merchantID })[i]!;
    work.bash(`rm -f ${merchantID}_rest.p12`);
    runAsDisplayed(command);

    const info = work.pkcs12(`${merchantID}_rest.p12`, password, "-info", "-nokeys");
    expect(info.toLowerCase()).toContain(`friendlyname: serialnumber=${keyId},cn=${merchantID}`);
    expect(work.verifyP12Certificate(`${merchantID}_rest.p12`, password, "chain.pem")).toContain("leaf.pem: OK");
    const { header, claims } = sdkJwt({
      keysDirectory: work.dir,
      keyFileName: `${merchantID}_rest`,
      keyPass: password,
      merchantID,
    });
    expect(header.kid).toBe(keyId);
    expect(claims["v-c-merchant-id"]).toBe(merchantID);
  });

  it("the guide's recipe as printed leaves cn= empty on this OpenSSL, and the SDK cannot use that file", () => {
    const asPrinted = guideRecipeCommand(merchantID).replace(" -nameopt compat", "").replace(
      `-out ${merchantID}_rest.p12`,
      "-out broken.p12",
    );
    expect(asPrinted).not.toBe(explicitNameCommand({ keyId, orgId: merchantID }));
    runAsDisplayed(asPrinted);
    const info = work.pkcs12("broken.p12", password, "-info", "-nokeys");
    expect(info).toContain(`friendlyName: serialnumber=${keyId},cn=\n`);
    expect(() => sdkJwt({ keysDirectory: work.dir, keyFileName: "broken", keyPass: password, merchantID })).toThrow();
  });
});
