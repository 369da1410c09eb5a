"use client";

import { Button } from "@/components/ui/button";
import { FormError, TextField } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { signInAction, verifySignInCodeAction, type SignInDone } from "@/lib/actions/auth/sign-in";

/** Signed in: the portal, as a new page load (see SignInDone). */
const openWhenSignedIn = (done: SignInDone) => {
  if (done.next) window.location.assign(done.next);
};

/** The form-level message, unless the failure is told beside its fields. */
const formMessage = (form: { error?: string; fields: Record<string, string> }) =>
  Object.keys(form.fields).length ? undefined : form.error;

export function SignInForm() {
  const form = useActionForm(signInAction, { onSuccess: openWhenSignedIn });
  // While the portal opens, the button keeps spinning.
  const opening = form.data?.next !== undefined;
  if (form.data?.secondFactor) return <SecondFactorForm />;
  return (
    <form {...form.formProps} className="flex flex-col gap-4">
      <FormError message={formMessage(form)} />
      <TextField label="Email" name="email" type="email" autoComplete="username" required error={form.fields.email} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={form.fields.password}
      />
      <Button type="submit" pending={form.pending || opening}>
        Sign in
      </Button>
    </form>
  );
}

/** Step two when a second factor is enrolled: a code from the app, or a recovery code. */
function SecondFactorForm() {
  const form = useActionForm(verifySignInCodeAction, { onSuccess: openWhenSignedIn });
  const opening = form.data?.next !== undefined;
  const code = form.result && !form.result.ok ? form.result.error.code : undefined;
  const ended = code === "LOCKED" || code === "EXPIRED";
  return (
    <form {...form.formProps} className="flex flex-col gap-4">
      <p className="text-sm text-slate-700">
        Enter the 6-digit code from your authenticator app, or one of your recovery codes.
      </p>
      <FormError message={formMessage(form)} />
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
            error={form.fields.code}
          />
          <Button type="submit" pending={form.pending || opening}>
            Verify
          </Button>
        </>
      )}
    </form>
  );
}
