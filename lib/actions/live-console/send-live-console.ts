"use server";

import { z } from "zod";
import { fail, ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { ownGatewayHost, sendToOwnGateway, signHttpSignature, signJwt } from "@/lib/gateway/client";

const PATH = "/pts/v2/payments";
const id = z.string().trim().max(100);

/**
 * Live Console: signs the sample payment with the credentials typed or uploaded here (kept
 * only for this request, never stored or logged) and sends it to this KeyCenter's gateway.
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
      p12: z.instanceof(File).optional(),
      password: z.string().max(200).optional(),
      body: z.string().max(100_000, "The request body is too long."),
    }),
    permission: "transactions.view",
  },
  async ({ input }) => {
    try {
      JSON.parse(input.body);
    } catch {
      return fail("INVALID_INPUT", "The request body is not valid JSON.", {
        body: "The request body is not valid JSON.",
      });
    }
    const common = {
      host: ownGatewayHost(),
      path: PATH,
      body: input.body,
      merchantId: input.merchantId,
      metaKeyOwner: input.metaKeyOwner || undefined,
    };
    let request;
    if (input.authType === "http_signature") {
      if (!input.keyId) return fail("INVALID_INPUT", "Enter the key.", { keyId: "Enter the key." });
      if (!input.sharedSecret)
        return fail("INVALID_INPUT", "Enter the shared secret.", { sharedSecret: "Enter the shared secret." });
      request = signHttpSignature({ ...common, keyId: input.keyId, sharedSecret: input.sharedSecret });
    } else {
      if (!input.p12 || input.p12.size === 0)
        return fail("INVALID_INPUT", "Choose a .p12 file.", { p12: "Choose a .p12 file." });
      if (input.p12.size > 100_000)
        return fail("INVALID_INPUT", "That file is too large for a .p12.", {
          p12: "That file is too large for a .p12.",
        });
      request = await signJwt({
        ...common,
        p12: Buffer.from(await input.p12.arrayBuffer()),
        password: input.password ?? "",
      });
    }
    const response = await sendToOwnGateway(request);
    return ok({
      request: {
        method: request.method,
        path: request.path,
        headers: { ...request.headers, ...(request.headers.authorization ? { authorization: "Bearer …" } : {}) },
      },
      response,
    });
  },
);
