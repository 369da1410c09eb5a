"use client";

import { useState, useTransition } from "react";
import { createSharedSecretAction } from "@/lib/actions/keys/create-shared-secret-key";
import { KmsApiField, kmsApiChoice } from "./kms-api-field";
import { withStepUp } from "@/components/auth/step-up";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { CreatedKeyPanel } from "./one-time-result";

type Result = Awaited<ReturnType<typeof createSharedSecretAction>>;

/** Making a REST – Shared Secret key: the result, and `generate` (with step-up). */
export function useInstantKey() {
  const [result, setResult] = useState<Result>();
  const [pending, start] = useTransition();
  const generate = (extra: Record<string, string>) =>
    start(async () => setResult(await withStepUp(() => createSharedSecretAction({ ...extra, ...kmsApiChoice() }))));
  return { result, pending, generate };
}

/**
 * REST – Shared Secret on its own page (meta keys, regeneration): Generate key → the secret,
 * once. `state` when the key is started elsewhere (the meta-key choice's Create key).
 */
export function InstantForm({
  extra,
  label,
  state,
}: {
  extra: Record<string, string>;
  label: string;
  state?: ReturnType<typeof useInstantKey>;
}) {
  const own = useInstantKey();
  const { result, pending, generate } = state ?? own;
  if (result?.ok) {
    return (
      <CreatedKeyPanel
        title={`Your ${label} key is ready`}
        keyId={result.data.keyId}
        oneTime
        fields={[
          { label: "Key", value: result.data.keyId },
          { label: "Shared Secret", value: result.data.secret, secret: true },
        ]}
        download={result.data.download}
      />
    );
  }
  return (
    <div className="flex flex-col gap-3">
      <KmsApiField />
      <FormError message={result && !result.ok ? result.error.message : undefined} />
      <div>
        <Button pending={pending} onClick={() => generate(extra)}>
          Generate key
        </Button>
      </div>
    </div>
  );
}
