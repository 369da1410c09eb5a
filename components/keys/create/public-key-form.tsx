"use client";

import { useState, useTransition } from "react";
import { createPublicKeyAction } from "@/lib/actions/keys/create-public-key";
import { withStepUp } from "@/components/auth/step-up";
import { Button } from "@/components/ui/button";
import { FormError, TextAreaField, TextField } from "@/components/ui/field";
import { CustodianField, type CustodianOption } from "./custodian-field";
import { CreatedKeyPanel } from "./one-time-result";

type Result = Awaited<ReturnType<typeof createPublicKeyAction>>;

/** PGP and Token Management MLE: paste a public key, Create key. Nothing secret comes back. */
export function PublicKeyForm({
  type,
  typeLabel,
  pasteLabel,
  submitLabel,
  custodians,
}: {
  type: string;
  typeLabel: string;
  pasteLabel: string;
  submitLabel: string;
  custodians: CustodianOption[];
}) {
  const [result, setResult] = useState<Result>();
  const [pending, start] = useTransition();
  if (result?.ok) {
    return (
      <CreatedKeyPanel
        title={`Your ${typeLabel} key is ready`}
        keyId={result.data.keyId}
        fields={[
          { label: "Key ID", value: result.data.keyId },
          { label: "Fingerprint", value: result.data.fingerprint ?? "" },
        ]}
      />
    );
  }
  const fields = result && !result.ok ? result.error.fields : undefined;
  const keyError = fields?.publicKey;
  const fieldShown = keyError ?? fields?.custodianId;
  return (
    <form
      className="flex max-w-3xl flex-col gap-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        data.set("type", type);
        start(async () => setResult(await withStepUp(() => createPublicKeyAction(data))));
      }}
    >
      <FormError message={result && !result.ok && !fieldShown ? result.error.message : undefined} />
      <TextField label="Key Name (optional)" name="name" maxLength={100} error={fields?.name} />
      <TextAreaField label={pasteLabel} name="publicKey" rows={12} error={keyError} />
      <CustodianField options={custodians} error={fields?.custodianId} />
      <div>
        <Button type="submit" pending={pending}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
