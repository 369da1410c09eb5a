"use client";

import { createSharedSecretAction } from "@/lib/actions/keys/create-shared-secret-key";
import { KmsApiField, kmsApiChoice } from "./kms-api-field";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { CreatedKeyPanel } from "./one-time-result";

type Created = Extract<Awaited<ReturnType<typeof createSharedSecretAction>>, { ok: true }>["data"];

/**
 * Making a REST – Shared Secret key (useActionForm: step-up, the answer): `generate(extra)`
 * sends `extra` (meta-key choices, `regenerateFrom`) with the "Key Management API" choice.
 */
export function useInstantKey() {
  const form = useActionForm(createSharedSecretAction);
  return {
    created: form.data,
    error: form.error,
    pending: form.pending,
    generate: (extra: Record<string, string>) => form.run({ ...extra, ...kmsApiChoice() }),
    /** Back to no answer (a window closed and opened again asks again). */
    reset: form.reset,
  };
}

/** The new REST – Shared Secret key: its key ID, the secret once, Download key, View key information. */
export function InstantKeyPanel({ label, created }: { label: string; created: Created }) {
  return (
    <CreatedKeyPanel
      title={`Your ${label} key is ready`}
      keyId={created.keyId}
      oneTime
      fields={[
        { label: "Key", value: created.keyId },
        { label: "Shared Secret", value: created.secret, secret: true },
      ]}
      download={created.download}
    />
  );
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
  const { created, error, pending, generate } = state ?? own;
  if (created) return <InstantKeyPanel label={label} created={created} />;
  return (
    <div className="flex flex-col gap-3">
      <KmsApiField />
      <FormError message={error} />
      <div>
        <Button pending={pending} onClick={() => generate(extra)}>
          Generate key
        </Button>
      </div>
    </div>
  );
}
