"use server";

import { z } from "zod";
import { fail, ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { sendLiveConsole } from "@/lib/live-console/send";

const id = z.string().trim().max(100);
const P12_MAX_BYTES = 100_000;
const p12File = z.instanceof(File).optional();

/** A chosen .p12's bytes; a field message for a file too large to be one. */
async function p12Bytes(file: File | undefined, field: string) {
  if (!file || file.size === 0) return { bytes: undefined };
  if (file.size > P12_MAX_BYTES)
    return {
      error: fail("INVALID_INPUT", "That file is too large for a .p12.", {
        [field]: "That file is too large for a .p12.",
      }),
    };
  return { bytes: Buffer.from(await file.arrayBuffer()) };
}

/**
 * Live Console → Send (or Send Request with Message Level Encryption): signs the sample payment
 * with the credentials typed or uploaded here (kept only for this request, never stored or
 * logged) and sends it to this KeyCenter's gateway (lib/live-console/send.ts).
 */
export const sendLiveConsoleAction = defineAction(
  {
    name: "sendLiveConsole",
    effect: "run",
    input: z.object({
      authType: z.enum(["http_signature", "jwt"]),
      merchantId: id.min(1, "Enter the organization ID."),
      metaKeyOwner: id.optional(),
      keyId: id.optional(),
      sharedSecret: z.string().trim().max(200).optional(),
      p12: p12File,
      password: z.string().max(200).optional(),
      body: z.string().max(100_000, "The request body is too long."),
      messageLevelEncryption: z.enum(["true", "false"]).optional(),
      responseMleKeyId: id.optional(),
      responseMleP12: p12File,
      responseMlePassword: z.string().max(200).optional(),
    }),
    permission: "transactions.view",
  },
  async ({ input }) => {
    const p12 = await p12Bytes(input.p12, "p12");
    if (p12.error) return p12.error;
    const mleP12 = await p12Bytes(input.responseMleP12, "responseMleP12");
    if (mleP12.error) return mleP12.error;
    const result = await sendLiveConsole({
      ...input,
      p12: p12.bytes,
      messageLevelEncryption: input.messageLevelEncryption === "true",
      responseMle: {
        keyId: input.responseMleKeyId,
        p12: mleP12.bytes,
        password: input.responseMlePassword,
      },
    });
    return ok(result);
  },
);
