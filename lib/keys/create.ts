import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit";
import { prisma } from "@/lib/db";
import type { KeyType } from "@/lib/generated/prisma/enums";
import type { ServiceContext } from "@/lib/context";
import { type CreatableKeyType, type CreatedKey, type Creation, type Creator, KEY_CREATORS } from "./creators";
import { checkCustodian } from "./lifecycle";
import { applyMetaOnCreate } from "./meta";
import { requireHeld, requireKeyPermissions } from "./permissions";
import { assertCreatable } from "./retirement";
import { keyType } from "./types";

/**
 * The one way a key is created (SPEC K1–K9), for every type:
 * 1. permission: keys.create and the type's extra permission (PGP: PGP Security Settings),
 *    and Manage meta keys for a meta key;
 * 2. the type may be created here and now (not retired in the environment);
 * 3. the custodian may look after keys of the org;
 * 4. the key's name (trimmed, at most KEY_NAME_MAX; "<label> <date>" when none is given,
 *    unless the type requires one);
 * 5. the type's creator (creators.ts) checks its input and builds the row;
 * 6. the row, its meta-key scope and its "key.create" audit record, in one transaction.
 */

export const KEY_NAME_MAX = 100;

type InputOf<C> = C extends Creator<infer I, unknown> ? I : never;
type ResultOf<C> = C extends (args: never) => Promise<Creation<infer R>> ? R : never;

/**
 * What `createKey(type, …)` takes: the context, an optional name, "Key Management API"
 * (`kmsApi`, REST – Shared Secret and REST – Certificate only), and the type's own input.
 */
export type CreateKeyInput<T extends CreatableKeyType> = {
  ctx: ServiceContext;
  name?: string;
  kmsApi?: boolean;
} & InputOf<(typeof KEY_CREATORS)[T]>;
/** What `createKey(type, …)` returns: the key, and what is shown or downloaded once. */
export type CreatedKeyResult<T extends CreatableKeyType> = ResultOf<(typeof KEY_CREATORS)[T]>;

export async function createKey<T extends CreatableKeyType>(
  type: T,
  input: CreateKeyInput<T>,
): Promise<CreatedKeyResult<T>> {
  const { ctx } = input;
  requireKeyPermissions(ctx, type, "keys.create");
  if (ctx.meta !== undefined || ctx.regenerateFrom !== undefined) requireHeld(ctx, ["keys.meta"]);
  const now = ctx.now ?? new Date();
  assertCreatable({ type, environment: ctx.environment, now });
  await checkCustodian(ctx.org, ctx.custodianId);
  const name = keyName(input.name, type, now);
  if (input.kmsApi && !keyType(type).kmsApi) {
    throw new AppError("INVALID_INPUT", "Only REST keys may use the Key Management API.", {
      kmsApi: "Only REST – Shared Secret and REST – Certificate keys may use the Key Management API.",
    });
  }
  const creator = KEY_CREATORS[type] as unknown as Creator<typeof input, CreatedKeyResult<T>>;
  const creation = await creator({ ctx, type, now, name, input });
  return creation.result(await insertKey(ctx, type, name, now, creation, input.kmsApi === true));
}

function keyName(name: string | undefined, type: KeyType, now: Date): string {
  const trimmed = (name ?? "").trim();
  if (!trimmed) {
    const spec = keyType(type);
    if (spec.nameRequired) {
      throw new AppError("INVALID_INPUT", "Enter a name for this key.", { name: "Enter a name for this key." });
    }
    return `${spec.label} ${now.toISOString().slice(0, 10)}`;
  }
  if (trimmed.length > KEY_NAME_MAX) {
    const message = `Key names can be at most ${KEY_NAME_MAX} characters long.`;
    throw new AppError("INVALID_INPUT", message, { name: message });
  }
  return trimmed;
}

/**
 * Inserts the key and its "key.create" audit record in one transaction, after the creation's
 * own check (in the same transaction); a taken key ID is the creation's `duplicate` refusal.
 */
async function insertKey<R>(
  ctx: ServiceContext,
  type: KeyType,
  name: string,
  now: Date,
  creation: Creation<R>,
  kmsApi: boolean,
): Promise<CreatedKey> {
  try {
    return await prisma.$transaction(async (tx) => {
      if (creation.check) await creation.check(tx);
      const created = await tx.key.create({
        data: {
          createdAt: now,
          ...creation.row,
          type,
          name,
          orgId: ctx.org.id,
          environment: ctx.environment,
          createdById: ctx.actor.actorId,
          custodianId: ctx.custodianId ?? null,
          kmsApi,
        },
        omit: { secretCiphertext: true },
      });
      Object.assign(created, await applyMetaOnCreate(tx, ctx, created));
      await recordAudit(tx, {
        ...ctx.actor,
        action: "key.create",
        orgId: ctx.org.id,
        targetType: "key",
        targetId: created.id,
        details: {
          type: created.type,
          environment: created.environment,
          name: created.name,
          expiresAt: created.expiresAt.toISOString(),
          ...(kmsApi ? { kmsApi: true } : {}),
          ...creation.audit,
        },
      });
      return created;
    });
  } catch (e) {
    if (creation.duplicate && (e as { code?: string }).code === "P2002") throw creation.duplicate();
    throw e;
  }
}
