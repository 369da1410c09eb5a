"use client";

import { useState } from "react";
import { createRoot } from "react-dom/client";
import { verifyStepUpAction } from "@/lib/actions/account/verify-step-up";
import { FormDialog } from "@/components/ui/form-dialog";
import { FormError, TextField } from "@/components/ui/field";
import { STEP_UP_REQUIRED, type ActionResult } from "@/lib/action-result";

/**
 * Step-up (B5) on the client: runs `call`; when the server answers STEP_UP_REQUIRED, asks
 * "Confirm it's you" (password, or an authentication code), and on success runs `call`
 * once more. Cancelling returns the first answer. Wrap any sensitive action call in it:
 * `withStepUp(() => deleteKeyAction({ keyId }))`.
 */
export async function withStepUp<T>(call: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  const first = await call();
  if (first.ok || first.error.code !== STEP_UP_REQUIRED) return first;
  return (await confirmItsYou()) ? call() : first;
}

/** Opens the dialog in its own root on top of whatever is open; resolves true once verified. */
function confirmItsYou(): Promise<boolean> {
  return new Promise((resolve) => {
    const host = document.createElement("div");
    document.body.appendChild(host);
    const root = createRoot(host);
    const done = (verified: boolean) => {
      root.unmount();
      host.remove();
      resolve(verified);
    };
    root.render(<StepUpDialog onDone={done} />);
  });
}

function StepUpDialog({ onDone }: { onDone: (verified: boolean) => void }) {
  const [useCode, setUseCode] = useState(false);
  const [error, setError] = useState<string>();
  // Plain state, not a transition: this runs while the caller's own transition is still pending.
  const [pending, setPending] = useState(false);
  return (
    <FormDialog
      open
      onOpenChange={() => onDone(false)}
      title="Confirm it's you"
      description={
        <>
          This is a sensitive change.{" "}
          {useCode ? "Enter a code from your authenticator app." : "Enter your password again."}
        </>
      }
      submitLabel="Confirm"
      pending={pending}
      onSubmit={(data) => {
        const value = String(data.get("proof") ?? "");
        setPending(true);
        void verifyStepUpAction(useCode ? { code: value } : { password: value }).then((r) => {
          if (r.ok) return onDone(true);
          setPending(false);
          setError(r.error.fields?.password ?? r.error.fields?.code ?? r.error.message);
        });
      }}
    >
      <FormError message={error} />
      {useCode ? (
        <TextField
          key="code"
          label="Authentication code"
          name="proof"
          inputMode="numeric"
          autoComplete="one-time-code"
          autoFocus
        />
      ) : (
        <TextField
          key="password"
          label="Password"
          name="proof"
          type="password"
          autoComplete="current-password"
          autoFocus
        />
      )}
      <button
        type="button"
        className="self-start text-sm text-brand-700 underline"
        onClick={() => {
          setError(undefined);
          setUseCode(!useCode);
        }}
      >
        {useCode ? "Use your password instead" : "Use an authentication code instead"}
      </button>
    </FormDialog>
  );
}
