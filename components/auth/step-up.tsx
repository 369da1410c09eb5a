"use client";

import { useEffect, useId, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import { verifyStepUpAction } from "@/lib/actions/account/verify-step-up";
import { Button } from "@/components/ui/button";
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
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [useCode, setUseCode] = useState(false);
  const [error, setError] = useState<string>();
  // Plain state, not a transition: this runs while the caller's own transition is still pending.
  const [pending, setPending] = useState(false);
  useEffect(() => ref.current?.showModal(), []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className="m-auto w-full max-w-md rounded-xl p-0 shadow-xl"
      onCancel={(e) => {
        e.preventDefault();
        onDone(false);
      }}
    >
      <form
        className="flex flex-col gap-4 p-6"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const value = String(new FormData(e.currentTarget).get("proof") ?? "");
          setPending(true);
          void verifyStepUpAction(useCode ? { code: value } : { password: value }).then((r) => {
            if (r.ok) return onDone(true);
            setPending(false);
            setError(r.error.fields?.password ?? r.error.fields?.code ?? r.error.message);
          });
        }}
      >
        <h2 id={titleId} className="text-lg font-semibold">
          Confirm it&apos;s you
        </h2>
        <p className="text-sm text-slate-700">
          This is a sensitive change.{" "}
          {useCode ? "Enter a code from your authenticator app." : "Enter your password again."}
        </p>
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
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => onDone(false)}>
            Cancel
          </Button>
          <Button type="submit" pending={pending}>
            Confirm
          </Button>
        </div>
      </form>
    </dialog>
  );
}
