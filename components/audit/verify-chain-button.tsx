"use client";

import { useState, useTransition } from "react";
import { verifyChainAction } from "@/lib/actions/audit/verify-audit-chain";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";

/** Verify chain: recomputes every record's hash on the server and says what it found. */
export function VerifyChainButton() {
  const [pending, start] = useTransition();
  const [outcome, setOutcome] = useState<{ intact: boolean; message: string }>();
  const [error, setError] = useState<string>();
  return (
    <div className="flex flex-col gap-2">
      <div>
        <Button
          variant="secondary"
          pending={pending}
          onClick={() =>
            start(async () => {
              setOutcome(undefined);
              setError(undefined);
              const r = await verifyChainAction({});
              if (r.ok) setOutcome(r.data);
              else setError(r.error.message);
            })
          }
        >
          Verify chain
        </Button>
      </div>
      <div aria-live="polite">
        {outcome && (
          <p
            role={outcome.intact ? "status" : "alert"}
            className={
              outcome.intact
                ? "rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800"
                : "rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
            }
          >
            {outcome.message}
          </p>
        )}
      </div>
      <FormError message={error} />
    </div>
  );
}
