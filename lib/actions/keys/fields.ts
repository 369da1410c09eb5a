import "server-only";
import { z } from "zod";
import { keyOwner } from "@/lib/keys/queries";

export const KeyIdInput = z.object({ keyId: z.string().trim().min(1).max(100) });

/** The org that owns the key: the permission is checked against it, not the org acted for. */
export const ownerOf = ({ keyId }: { keyId: string }) => keyOwner(keyId);
