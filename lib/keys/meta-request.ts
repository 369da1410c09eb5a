import { z } from "zod";

/**
 * What a meta key's creator asks for (lib/keys/meta.ts applies it): every current and future
 * MID, or a custom selection of MIDs. A leaf module: the service context (lib/context.ts)
 * carries a request without importing the service that applies it.
 */
export const MidFilterSchema = z.object({
  mid: z.string().trim().max(100).optional(),
  name: z.string().trim().max(200).optional(),
  account: z.string().trim().max(100).optional(),
  status: z.enum(["ACTIVE", "INACTIVE"]).optional(),
});

export const MetaRequestSchema = z.discriminatedUnion("scope", [
  z.object({ scope: z.literal("ALL") }),
  z.object({
    scope: z.literal("CUSTOM"),
    /** Explicitly checked MIDs. */
    mids: z.array(z.string().trim().min(1).max(100)).max(200_000).default([]),
    /** "Select all matching": every MID the filter matches, resolved in the database. */
    allMatching: MidFilterSchema.optional(),
  }),
]);
export type MetaRequest = z.infer<typeof MetaRequestSchema>;
