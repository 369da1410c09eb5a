-- Issue 12 §5: a gateway request naming no real key has no tenant (merchantId NULL).
-- AlterTable
ALTER TABLE "gateway_transactions" ALTER COLUMN "merchantId" DROP NOT NULL;

-- Rows written before: refusals that named no existing key belong to no merchant.
UPDATE "gateway_transactions" t SET "merchantId" = NULL, "keyId" = NULL, "metaKeyOwner" = NULL
 WHERE t."httpStatus" >= 400
   AND (t."keyId" IS NULL OR NOT EXISTS (SELECT 1 FROM "keys" k WHERE k."id" = t."keyId"));

-- Issue 12 §6: JWT IDs already seen (replay protection).
-- CreateTable
CREATE TABLE "seen_jtis" (
    "keyId" TEXT NOT NULL,
    "jti" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "seen_jtis_pkey" PRIMARY KEY ("keyId","jti")
);

-- CreateIndex
CREATE INDEX "seen_jtis_expiresAt_idx" ON "seen_jtis"("expiresAt");
