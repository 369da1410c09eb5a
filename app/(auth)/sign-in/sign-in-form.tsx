"use client";

import { useActionState, useEffect } from "react";
import { TransitionForm } from "@/components/auth/transition-form";
import { Button } from "@/components/ui/button";
import { FormError, TextField } from "@/components/ui/field";
import { signInAction, verifySignInCodeAction, type SignInDone } from "@/lib/actions/auth/sign-in";

/** Signed in: the portal, as a new page load (see SignInDone); meanwhile the button keeps spinning. */
function useOpenWhenSignedIn(state: { ok: boolean; data?: SignInDone } | null): boolean {
  const next = state?.ok ? state.data?.next : undefined;
  useEffect(() => {
    if (next) window.location.assign(next);
  }, [next]);
  return next !== undefined;
}

export function SignInForm() {
  const [state, action, pending] = useActionState(signInAction, null);
  const opening = useOpenWhenSignedIn(state);
  const fields = state && !state.ok ? state.error.fields : undefined;
  if (state?.ok && state.data.secondFactor) return <SecondFactorForm />;
  return (
    <TransitionForm action={action}>
      <FormError message={state && !state.ok && !fields ? state.error.message : undefined} />
      <TextField label="Email" name="email" type="email" autoComplete="username" required error={fields?.email} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={fields?.password}
      />
      <Button type="submit" pending={pending || opening}>
        Sign in
      </Button>
    </TransitionForm>
  );
}

/** Step two when a second factor is enrolled: a code from the app, or a recovery code. */
function SecondFactorForm() {
  const [state, action, pending] = useActionState(verifySignInCodeAction, null);
  const opening = useOpenWhenSignedIn(state);
  const fields = state && !state.ok ? state.error.fields : undefined;
  const ended = state && !state.ok && (state.error.code === "LOCKED" || state.error.code === "EXPIRED");
  return (
    <TransitionForm action={action}>
      <p className="text-sm text-slate-700">
        Enter the 6-digit code from your authenticator app, or one of your recovery codes.
      </p>
      <FormError message={state && !state.ok && !fields ? state.error.message : undefined} />
      {ended ? (
        <a href="/sign-in" className="text-sm font-medium text-brand-700 underline">
          Back to sign-in
        </a>
      ) : (
        <>
          <TextField
            label="Authentication code"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            autoFocus
            required
            error={fields?.code}
          />
          <Button type="submit" pending={pending || opening}>
            Verify
          </Button>
        </>
      )}
    </TransitionForm>
  );
}
