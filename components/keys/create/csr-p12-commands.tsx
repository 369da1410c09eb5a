"use client";

import { csrP12Files, csrToP12Commands } from "@/lib/keys/csr-commands";
import { CopyField } from "./one-time-result";

/**
 * The CSR result's next step (SPEC K2): the `openssl pkcs12 -export` commands that turn the
 * downloaded chain and the CSR's private key into a .p12 the SDK can use, with the key ID and
 * merchant ID filled in, each with a Copy button. The guide's command as printed leaves the
 * friendly name's `cn=` empty on OpenSSL 3; these do not (tests/integration/csr-commands.test.ts).
 */
export function CsrP12Commands({ keyId, orgId }: { keyId: string; orgId: string }) {
  const files = csrP12Files(orgId);
  return (
    <section aria-labelledby="csr-p12" className="flex flex-col gap-3 rounded-md border border-slate-200 p-4">
      <h3 id="csr-p12" className="font-semibold">
        Convert it into a .p12 file
      </h3>
      <p className="text-sm text-slate-700">
        In the folder with {files.certChain} and your CSR&apos;s private key ({files.privateKey}), run one of these
        commands. When prompted, set a password for the .p12 file.
      </p>
      <p className="text-sm text-slate-700">
        The guide&apos;s command, as printed, leaves the certificate&apos;s friendly name with an empty{" "}
        <code className="rounded bg-slate-100 px-1">cn=</code> on OpenSSL 3, and the SDK cannot use that file. These
        name it{" "}
        <code className="rounded bg-slate-100 px-1">
          serialNumber={keyId},CN={orgId}
        </code>
        , as the SDK expects.
      </p>
      {csrToP12Commands({ keyId, orgId }).map((c) => (
        <CopyField key={c.command} label={c.title} value={c.command} />
      ))}
      <p className="text-xs text-slate-500">
        The SDK reads <code>{"<keysDirectory>/<keyFileName>.p12"}</code>: set keyFileName to{" "}
        <code>{files.p12.replace(/\.p12$/, "")}</code>.
      </p>
    </section>
  );
}
