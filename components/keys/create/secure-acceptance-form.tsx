"use client";

import { useState, useTransition } from "react";
import { createSecureAcceptanceAction } from "@/lib/actions/keys/create-secure-acceptance-key";
import { withStepUp } from "@/components/auth/step-up";
import { Button } from "@/components/ui/button";
import { FormError, TextField } from "@/components/ui/field";
import { CustodianField, type CustodianOption } from "./custodian-field";
import { CreatedKeyPanel } from "./one-time-result";
import { SelectField } from "@/components/ui/field";

type Result = Awaited<ReturnType<typeof createSecureAcceptanceAction>>;

/** Secure Acceptance: Key Name, Signature Version, Signature Method, Security Profile → Generate Key. */
export function SecureAcceptanceForm({
  profiles,
  custodians,
}: {
  profiles: { id: string; name: string }[];
  custodians: CustodianOption[];
}) {
  const [result, setResult] = useState<Result>();
  const [pending, start] = useTransition();
  if (result?.ok) {
    return (
      <CreatedKeyPanel
        title="Your Secure Acceptance key is ready"
        keyId={result.data.keyId}
        oneTime
        fields={[
          { label: "Access Key", value: result.data.accessKey },
          { label: "Secret Key", value: result.data.secretKey, secret: true },
        ]}
        download={result.data.download}
      />
    );
  }
  const fields = result && !result.ok ? result.error.fields : undefined;
  return (
    <form
      className="flex max-w-xl flex-col gap-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        start(async () => setResult(await withStepUp(() => createSecureAcceptanceAction(data))));
      }}
    >
      <FormError message={result && !result.ok && !fields ? result.error.message : undefined} />
      <TextField label="Key Name" name="name" required maxLength={100} error={fields?.name} />
      <SelectField
        label="Signature Version"
        name="signatureVersion"
        options={[{ value: "1", label: "1" }]}
        error={fields?.signatureVersion}
      />
      <SelectField
        label="Signature Method"
        name="signatureMethod"
        options={[{ value: "HMAC-SHA256", label: "HMAC-SHA256" }]}
        error={fields?.signatureMethod}
      />
      <SelectField
        label="Security Profile"
        name="securityProfileId"
        placeholder="Select a security profile"
        options={profiles.map((p) => ({ value: p.id, label: `${p.name} (${p.id})` }))}
        error={fields?.securityProfileId}
        hint={profiles.length === 0 ? "This merchant has no security profiles yet: add one under Settings." : undefined}
      />
      <CustodianField options={custodians} error={fields?.custodianId} />
      <div>
        <Button type="submit" pending={pending}>
          Generate Key
        </Button>
      </div>
    </form>
  );
}
