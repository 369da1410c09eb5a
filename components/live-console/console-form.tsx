"use client";

import { useRef, useState } from "react";
import { sendLiveConsoleAction } from "@/lib/actions/live-console/send-live-console";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { FormError, TextAreaField, TextField } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { P12Field } from "./p12-field";
import { MleConfiguration, type MleCredentials } from "./mle-configuration";
import { LiveConsoleResponse } from "./response-panel";

const MLE_SEND = "Send Request with Message Level Encryption";

/**
 * The guide's "Request: Live Console": Authentication (HTTP Signature or a JSON Web Token with
 * a .p12), the MLE Configuration, the request body, and **Send** with its drop-down (Send Request,
 * Send Request with Message Level Encryption). The response panel shows the raw answer and,
 * when it came encrypted, the decrypted one beside it.
 */
export function LiveConsoleForm({ merchantId, sample }: { merchantId: string; sample: string }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [auth, setAuth] = useState<"http_signature" | "jwt">("http_signature");
  const [withMle, setWithMle] = useState(false);
  const [mle, setMle] = useState<MleCredentials>();
  const form = useActionForm((data: FormData) => sendLiveConsoleAction(data), {
    fromForm: (data) => {
      data.set("messageLevelEncryption", String(withMle));
      if (withMle && mle) {
        data.set("responseMleKeyId", mle.keyId);
        if (mle.file) data.set("responseMleP12", mle.file);
        data.set("responseMlePassword", mle.password);
      }
      return data;
    },
  });
  const fields = form.fields;
  const field = (name: string) => formRef.current?.querySelector<HTMLInputElement>(`[name="${name}"]`)?.value ?? "";
  const mleProblem = fields.responseMleKeyId ?? fields.responseMleP12 ?? fields.responseMlePassword;
  const shownInline = ["merchantId", "metaKeyOwner", "keyId", "sharedSecret", "p12", "password", "body"];
  const formLevel = Object.keys(fields).some((f) => shownInline.includes(f)) ? undefined : form.error;
  const wide = form.data?.decrypted !== undefined;
  return (
    <div className="grid gap-6 xl:grid-cols-2">
      <form
        ref={formRef}
        {...form.formProps}
        className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-5"
      >
        <h2 className="font-semibold">POST /pts/v2/payments</h2>
        <fieldset className="flex gap-4 text-sm">
          <legend className="mb-1 font-medium">Authentication</legend>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="authType"
              value="http_signature"
              checked={auth === "http_signature"}
              onChange={() => setAuth("http_signature")}
            />
            HTTP Signature
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="authType" value="jwt" checked={auth === "jwt"} onChange={() => setAuth("jwt")} />
            JSON Web Token (.p12)
          </label>
        </fieldset>
        <TextField label="Organization ID" name="merchantId" defaultValue={merchantId} error={fields.merchantId} />
        <TextField
          label="Meta key owner (optional)"
          name="metaKeyOwner"
          hint="With a meta key: the portfolio or account ID that owns it. Organization ID stays the transacting MID."
          error={fields.metaKeyOwner}
        />
        {auth === "http_signature" ? (
          <>
            <TextField label="Key" name="keyId" autoComplete="off" error={fields.keyId} />
            <TextField
              label="Shared Secret"
              name="sharedSecret"
              type="password"
              autoComplete="off"
              error={fields.sharedSecret}
            />
          </>
        ) : (
          <>
            <P12Field label=".p12 file" name="p12" error={fields.p12} />
            <TextField label="Password" name="password" type="password" autoComplete="off" error={fields.password} />
          </>
        )}
        <MleConfiguration
          merchantId={() => field("merchantId")}
          metaKeyOwner={() => field("metaKeyOwner")}
          value={mle}
          onChange={setMle}
        />
        <TextAreaField label="Request body" name="body" rows={16} defaultValue={sample} error={fields.body} />
        <FormError message={mleProblem ? `MLE Configuration: ${mleProblem}` : (fields.authType ?? formLevel)} />
        <div className="flex flex-wrap items-center gap-3">
          <div className="inline-flex">
            <Button type="submit" pending={form.pending} className="rounded-r-none">
              Send
            </Button>
            <DropdownMenu>
              <DropdownMenuTrigger asChild>
                <Button aria-label="Request options" className="rounded-l-none border-l border-white/30 px-2">
                  <span aria-hidden>▾</span>
                </Button>
              </DropdownMenuTrigger>
              <DropdownMenuContent align="start">
                <DropdownMenuItem onSelect={() => setWithMle(false)}>
                  <span aria-hidden className="w-3">
                    {withMle ? "" : "✓"}
                  </span>
                  Send Request
                </DropdownMenuItem>
                <DropdownMenuItem onSelect={() => setWithMle(true)}>
                  <span aria-hidden className="w-3">
                    {withMle ? "✓" : ""}
                  </span>
                  {MLE_SEND}
                </DropdownMenuItem>
              </DropdownMenuContent>
            </DropdownMenu>
          </div>
          <p className="text-sm text-slate-600" role="status" data-testid="send-mode">
            {withMle ? `${MLE_SEND}: the body is encrypted to CyberSource_SJC_US.` : "Send Request (no encryption)."}
          </p>
        </div>
      </form>
      <LiveConsoleResponse result={form.data} className={wide ? "xl:col-span-2" : undefined} />
    </div>
  );
}
