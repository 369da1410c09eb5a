"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { generateWebhookSecretAction } from "@/lib/actions/settings/generate-webhook-secret";
import { removeWebhookAction } from "@/lib/actions/settings/remove-webhook";
import { saveWebhookUrlAction } from "@/lib/actions/settings/save-webhook-url";
import { sendTestWebhookAction } from "@/lib/actions/settings/send-test-webhook";
import { CopyField } from "@/components/keys/create/one-time-result";
import { withStepUp } from "@/components/auth/step-up";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormError, TextField } from "@/components/ui/field";
import { toast } from "@/components/ui/toaster";
import { useActionForm } from "@/components/ui/use-action-form";
import { formatDateTime } from "@/lib/format";

/**
 * The expiry-alert webhook (B2): URL, HMAC secret (shown once, here, right after it is
 * generated), Send test event, Remove.
 */
export function WebhookSettings(props: { url: string | null; hasSecret: boolean; secretCreatedAt: string | null }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [busy, setBusy] = useState<"secret" | "test" | null>(null);
  const [error, setError] = useState<string>();
  const [note, setNote] = useState<string>();
  const [secret, setSecret] = useState<string>();

  const save = useActionForm(saveWebhookUrlAction, {
    fromForm: (data) => ({ url: String(data.get("url") ?? "") }),
    success: "Webhook URL saved",
    onSuccess: () => {
      setError(undefined);
      setNote("Webhook URL saved.");
      router.refresh();
    },
  });

  const run = (which: "secret" | "test", fn: () => Promise<void>) => {
    setBusy(which);
    setError(undefined);
    setNote(undefined);
    start(async () => {
      await fn();
      setBusy(null);
    });
  };

  const generate = async () => {
    const r = await withStepUp(() => generateWebhookSecretAction({}));
    if (!r.ok) return r;
    setSecret(r.data.secret);
    toast.success("Signing secret generated");
    router.refresh();
    return r;
  };

  return (
    <div className="flex flex-col gap-4">
      <form
        // A new form when the saved URL changes (saved, removed): the field shows what is stored.
        key={props.url ?? ""}
        {...save.formProps}
        className="flex flex-wrap items-end gap-3"
      >
        <TextField
          label="Webhook URL"
          name="url"
          type="url"
          defaultValue={props.url ?? ""}
          placeholder="https://hooks.example.com/keycenter"
          hint="https only (http://localhost or 127.0.0.1 for testing). Expiry alerts are POSTed here as JSON."
          error={save.result?.ok === false ? (save.fields.url ?? save.error) : undefined}
          className="min-w-80 flex-1"
        />
        <Button type="submit" pending={save.pending}>
          Save URL
        </Button>
      </form>

      <div className="flex flex-col gap-2">
        <p className="text-sm">
          {props.hasSecret
            ? `Signing secret generated ${formatDateTime(props.secretCreatedAt ? new Date(props.secretCreatedAt) : null)}. Each request carries X-KeyCenter-Signature: sha256=<HMAC-SHA256 of the body with this secret>.`
            : "No signing secret yet: generate one, then give it to the receiving end to check X-KeyCenter-Signature."}
        </p>
        <div className="flex flex-wrap gap-3">
          {props.hasSecret ? (
            <ConfirmDialog
              trigger="Generate new secret"
              title="Generate a new signing secret"
              confirmLabel="Generate"
              onConfirm={generate}
            >
              <p>The current secret stops signing at once: update the receiving end with the new one.</p>
            </ConfirmDialog>
          ) : (
            <Button
              variant="secondary"
              pending={pending && busy === "secret"}
              onClick={() =>
                run("secret", async () => {
                  const r = await generate();
                  if (!r.ok) setError(r.error.message);
                })
              }
            >
              Generate secret
            </Button>
          )}
          <Button
            variant="secondary"
            disabled={!props.url || !props.hasSecret}
            pending={pending && busy === "test"}
            onClick={() =>
              run("test", async () => {
                const r = await sendTestWebhookAction({});
                if (!r.ok) setError(r.error.message);
                else setNote(`The test event was accepted (HTTP ${r.data.status}).`);
              })
            }
          >
            Send test event
          </Button>
          {(props.url || props.hasSecret) && (
            <ConfirmDialog
              trigger="Remove webhook"
              triggerVariant="danger"
              title="Remove the webhook"
              confirmLabel="Remove"
              successMessage="Webhook removed"
              danger
              onConfirm={() => withStepUp(() => removeWebhookAction({}))}
              onDone={() => {
                setSecret(undefined);
                router.refresh();
              }}
            >
              <p>
                Expiry alerts stop going to this URL, and its signing secret is deleted. Email and in-app alerts go on.
              </p>
            </ConfirmDialog>
          )}
        </div>
      </div>
      {secret && (
        <div className="flex flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 p-4">
          <p className="text-sm text-amber-900">
            Copy the secret now: this is the only time KeyCenter shows it. It is stored encrypted.
          </p>
          <CopyField label="Webhook signing secret" value={secret} secret />
        </div>
      )}
      <FormError message={error} />
      {note && (
        <p role="status" className="text-sm text-emerald-800">
          {note}
        </p>
      )}
    </div>
  );
}
