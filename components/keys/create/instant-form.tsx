"use client";

import { useState, useTransition } from "react";
import { createSharedSecretAction } from "@/lib/actions/keys/create-shared-secret-key";
import { withStepUp } from "@/components/auth/step-up";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { CreatedKeyPanel } from "./one-time-result";

type Result = Awaited<ReturnType<typeof createSharedSecretAction>>;

/** REST – Shared Secret on its own page (meta keys, regeneration): Generate key → the secret, once. */
export function InstantForm({ extra, label }: { extra: Record<string, string>; label: string }) {
  const [result, setResult] = useState<Result>();
  const [pending, start] = useTransition();
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
      <FormError message={result && !result.ok ? result.error.message : undefined} />
      <div>
        <Button
          pending={pending}
          onClick={() => start(async () => setResult(await withStepUp(() => createSharedSecretAction(extra))))}
        >
          Generate key
        </Button>
      </div>
    </div>
  );
}
