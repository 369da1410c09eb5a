"use client";

import { useRouter } from "next/navigation";
import { confirmMfaEnrollmentAction } from "@/lib/actions/account/confirm-mfa-enrollment";
import { startMfaEnrollmentAction } from "@/lib/actions/account/start-mfa-enrollment";
import { Button } from "@/components/ui/button";
import { FormError, TextField } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";

/**
 * Two-step verification setup: a QR code (and the key, for typing in), confirmed by a
 * current code; then the ten recovery codes, shown this once.
 */
export function MfaEnrollment() {
  const router = useRouter();
  const start = useActionForm(startMfaEnrollmentAction);
  const confirm = useActionForm(confirmMfaEnrollmentAction, {
    fromForm: (data) => ({ code: String(data.get("code") ?? "") }),
  });
  const setup = start.data;
  const codes = confirm.data?.recoveryCodes;

  if (codes) {
    return (
      <div className="flex flex-col gap-3">
        <p role="status" className="font-medium text-emerald-800">
          Two-step verification is on.
        </p>
        <p className="text-sm text-slate-700">
          Save these recovery codes somewhere safe. Each one signs you in once if you lose your phone; they are not
          shown again.
        </p>
        <ul aria-label="Recovery codes" className="grid grid-cols-2 gap-1 rounded-md bg-slate-50 p-3 font-mono text-sm">
          {codes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <Button className="self-start" onClick={() => router.refresh()}>
          Done
        </Button>
      </div>
    );
  }
  if (!setup) {
    return (
      <div className="flex flex-col gap-3">
        <FormError message={start.error} />
        <Button className="self-start" pending={start.pending} onClick={() => start.run({})}>
          Set up two-step verification
        </Button>
      </div>
    );
  }
  return (
    <form {...confirm.formProps} className="flex max-w-md flex-col gap-3">
      <p className="text-sm text-slate-700">
        Scan this QR code with an authenticator app (Google Authenticator, 1Password, Authy...), then enter the 6-digit
        code it shows.
      </p>
      {/* A data URL made on the server: next/image adds nothing here. */}
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img src={setup.qrDataUrl} alt="QR code for your authenticator app" width={200} height={200} />
      <p className="text-sm text-slate-700">
        Can&apos;t scan it? Enter this key:{" "}
        <code className="break-all font-mono" data-testid="totp-secret">
          {setup.secret}
        </code>
      </p>
      <FormError message={confirm.fields.code ? undefined : confirm.error} />
      <TextField
        label="Authentication code"
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        required
        error={confirm.fields.code}
      />
      <Button type="submit" className="self-start" pending={confirm.pending}>
        Confirm
      </Button>
    </form>
  );
}
