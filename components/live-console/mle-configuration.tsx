"use client";

import { useState } from "react";
import { checkResponseMleAction } from "@/lib/actions/live-console/check-response-mle";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogTitle,
} from "@/components/ui/dialog";
import { FormError, TextField } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { P12Field } from "./p12-field";

/** The Response MLE credentials the browser keeps for Send (never sent anywhere else, never stored). */
export interface MleCredentials {
  keyId: string;
  file?: File;
  password: string;
}

/**
 * The guide's **MLE Configuration** (Developer Center): Message Level Encryption Credentials —
 * Response encryption (the REST – API Response MLE key ID) and Response decryption (the .p12
 * that decrypts the response, with its password) — then **Update Credentials**, which checks
 * them on the server (the .p12 opens; an empty key ID is read from it, as the SDK does).
 */
export function MleConfiguration({
  merchantId,
  metaKeyOwner,
  value,
  onChange,
}: {
  merchantId: () => string;
  metaKeyOwner: () => string;
  value?: MleCredentials;
  onChange: (v: MleCredentials | undefined) => void;
}) {
  const [open, setOpen] = useState(false);
  const check = useActionForm((data: FormData) => checkResponseMleAction(data), {
    fromForm: (data) => {
      data.set("merchantId", merchantId());
      data.set("metaKeyOwner", metaKeyOwner());
      return data;
    },
    onSuccess: (data, input) => {
      const file = input.get("responseMleP12");
      onChange({
        keyId: data.keyId,
        file: file instanceof File && file.size > 0 ? file : undefined,
        password: String(input.get("responseMlePassword") ?? ""),
      });
      setOpen(false);
    },
  });
  const fields = check.fields;
  return (
    <section aria-labelledby="mle-configuration" className="flex flex-col gap-2 rounded-md border border-slate-200 p-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id="mle-configuration" className="text-sm font-medium">
          Message Level Encryption Credentials
        </h3>
        <div className="flex gap-2">
          {value && (
            <Button variant="ghost" onClick={() => onChange(undefined)}>
              Clear
            </Button>
          )}
          <Button variant="secondary" onClick={() => (check.reset(), setOpen(true))}>
            MLE Configuration
          </Button>
        </div>
      </div>
      <p className="text-sm text-slate-600" data-testid="mle-credentials">
        {value
          ? `Response MLE key ${value.keyId}${value.file ? `, decrypted with ${value.file.name}` : " (no .p12: the response stays encrypted)"}.`
          : "None: responses come back in the clear. Add your REST – API Response MLE key to have them encrypted."}
      </p>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent>
          <DialogTitle>MLE Configuration</DialogTitle>
          <DialogDescription>
            Message Level Encryption Credentials. Used for this browser tab only: KeyCenter neither stores nor logs the
            .p12 or its password.
          </DialogDescription>
          <form {...check.formProps} className="flex flex-col gap-4">
            <FormError message={Object.keys(fields).length === 0 ? check.error : undefined} />
            <TextField
              label="Response MLE key ID"
              name="responseMleKeyId"
              defaultValue={value?.keyId}
              hint="Response encryption: the key ID of your REST – API Response MLE key (Key Management)."
              autoComplete="off"
              error={fields.responseMleKeyId}
            />
            <P12Field
              label="Response decryption .p12 file"
              name="responseMleP12"
              hint="The .p12 you downloaded with that key: its private key decrypts the response. Only .p12 files."
              error={fields.responseMleP12}
            />
            <TextField
              label="Response decryption .p12 password"
              name="responseMlePassword"
              type="password"
              autoComplete="off"
              error={fields.responseMlePassword}
            />
            <DialogFooter>
              <DialogClose asChild>
                <Button variant="secondary">Cancel</Button>
              </DialogClose>
              <Button type="submit" pending={check.pending}>
                Update Credentials
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </section>
  );
}
