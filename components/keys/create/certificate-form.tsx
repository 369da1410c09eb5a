"use client";

import { useRef, useState, useTransition } from "react";
import { createFromPemAction } from "@/lib/actions/keys/create-key-from-pem";
import { createP12KeyAction } from "@/lib/actions/keys/create-p12-key";
import { withStepUp } from "@/components/auth/step-up";
import { Button, Spinner } from "@/components/ui/button";
import { FormError, TextAreaField, TextField } from "@/components/ui/field";
import { FormDialog } from "@/components/ui/form-dialog";
import { base64ToBytes, saveFile } from "./download";
import { CustodianField, type CustodianOption } from "./custodian-field";
import { KmsApiField, kmsApiChoice } from "./kms-api-field";
import { CreatedKeyPanel } from "./one-time-result";
import { CsrP12Commands } from "./csr-p12-commands";

/** The password window's two fields: label, name. */
const PASSWORD_FIELDS = [
  ["New Password", "password"],
  ["Confirm Password", "confirmPassword"],
] as const;

type Done = {
  keyId: string;
  filename: string;
  content: string | Uint8Array;
  contentType: string;
  /** From a CSR: the owner the .p12 commands name. */
  csr?: { orgId: string };
};

/**
 * Certificate keys (REST – Certificate, Simple Order API, REST – API Response MLE):
 * **Download key** opens the password window (New Password, Confirm Password) whose
 * **Generate key** makes the key pair and downloads the .p12; or paste a CSR / your own
 * certificate and click **Download key** for a .pem.
 */
export function CertificateForm(props: {
  type: string;
  typeLabel: string;
  /** "Set a Password" (REST) or "Set Password" (Simple Order), as the guide names it. */
  passwordTitle: string;
  generateLabel: string;
  /** When set, the text box for a CSR or certificate, with this label. */
  pasteLabel?: string;
  /** Sent with the request: meta-key choices or the key being regenerated. */
  extra?: Record<string, string>;
  /** Who may be the key's custodian (B6). */
  custodians: CustodianOption[];
  /** The type may be created with "Key Management API" checked (the registry's `kmsApi`). */
  kmsApi?: boolean;
}) {
  const [custodian, setCustodian] = useState("");
  const [custodianError, setCustodianError] = useState<string>();
  const withExtra = (data: FormData) => {
    for (const [k, v] of Object.entries({ ...props.extra, ...kmsApiChoice() })) data.set(k, v);
    data.set("custodianId", custodian);
    setCustodianError(undefined);
    return data;
  };
  // The password window (Radix Dialog: Escape and Cancel close it, focus returns to Download key).
  const [passwordOpen, setPasswordOpen] = useState(false);
  const downloadButton = useRef<HTMLButtonElement>(null);
  const [passwordState, setPasswordState] = useState<{ message?: string; fields?: Record<string, string> }>({});
  const [pasteState, setPasteState] = useState<{ message?: string; field?: string }>({});
  const [done, setDone] = useState<Done>();
  const [generating, startGenerate] = useTransition();
  const [pasting, startPaste] = useTransition();

  if (done) {
    return (
      <CreatedKeyPanel
        title={`Your ${props.typeLabel} key is ready: ${done.filename} downloaded`}
        keyId={done.keyId}
        fields={[{ label: "Key ID", value: done.keyId }]}
        download={{ filename: done.filename, content: done.content, contentType: done.contentType }}
      >
        {done.csr && <CsrP12Commands keyId={done.keyId} orgId={done.csr.orgId} />}
      </CreatedKeyPanel>
    );
  }

  const finish = (d: Done) => {
    saveFile(d.filename, d.content, d.contentType);
    setDone(d);
  };

  return (
    <div className="flex max-w-3xl flex-col gap-6">
      <CustodianField options={props.custodians} value={custodian} onChange={setCustodian} error={custodianError} />
      {props.kmsApi && <KmsApiField />}
      <section aria-labelledby="generate" className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="generate" className="font-semibold">
          Generate a key pair and certificate
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          KeyCenter makes an RSA-2048 key pair and a certificate signed by the {`environment's`} certificate authority,
          and delivers them once as a password-protected .p12 file. The private key is not kept.
        </p>
        <Button
          ref={downloadButton}
          className="mt-3"
          onClick={() => {
            setPasswordState({});
            setPasswordOpen(true);
          }}
        >
          Download key
        </Button>
      </section>

      {props.pasteLabel && (
        <form
          aria-labelledby="paste"
          className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-5"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            data.set("type", props.type);
            startPaste(async () => {
              const r = await withStepUp(() => createFromPemAction(withExtra(data)));
              if (r.ok) finish({ ...r.data, content: r.data.pem, contentType: "application/x-pem-file" });
              else {
                setCustodianError(r.error.fields?.custodianId);
                setPasteState({
                  message: r.error.fields?.custodianId ? undefined : r.error.message,
                  field: r.error.fields?.pem ?? r.error.fields?.csr ?? r.error.fields?.certificate,
                });
              }
            });
          }}
        >
          <h2 id="paste" className="font-semibold">
            Or submit your own
          </h2>
          <TextAreaField label={props.pasteLabel} name="pem" rows={10} error={pasteState.field} />
          <FormError message={!pasteState.field ? pasteState.message : undefined} />
          <div>
            <Button type="submit" pending={pasting}>
              Download key
            </Button>
          </div>
        </form>
      )}

      <FormDialog
        open={passwordOpen}
        onOpenChange={setPasswordOpen}
        returnFocus={downloadButton}
        title={props.passwordTitle}
        description="At least 12 characters with three of: lower-case, upper-case, digits, symbols. You need it to open the .p12."
        submitLabel={props.generateLabel}
        pending={generating}
        onSubmit={(data) => {
          data.set("type", props.type);
          startGenerate(async () => {
            const r = await withStepUp(() => createP12KeyAction(withExtra(data)));
            if (r.ok) {
              setPasswordOpen(false);
              finish({
                keyId: r.data.keyId,
                filename: r.data.filename,
                content: base64ToBytes(r.data.p12Base64),
                contentType: "application/x-pkcs12",
              });
            } else if (r.error.fields?.custodianId) {
              // Not the password's fault: back to the page, the message beside the Custodian field.
              setPasswordOpen(false);
              setCustodianError(r.error.fields.custodianId);
            } else setPasswordState({ message: r.error.message, fields: r.error.fields });
          });
        }}
      >
        <FormError message={!passwordState.fields ? passwordState.message : undefined} />
        {PASSWORD_FIELDS.map(([label, name]) => (
          <TextField
            key={name}
            label={label}
            name={name}
            type="password"
            autoComplete="new-password"
            error={passwordState.fields?.[name]}
          />
        ))}
        {generating && <Spinner label="Generating the key pair and certificate…" />}
      </FormDialog>
    </div>
  );
}
