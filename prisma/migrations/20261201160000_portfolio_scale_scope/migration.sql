-- DropIndex
DROP INDEX "users_orgId_idx";

-- AlterTable
ALTER TABLE "audit_events" ADD COLUMN     "scopeAccountId" TEXT,
ADD COLUMN     "scopePortfolioId" TEXT;

-- AlterTable
ALTER TABLE "gateway_transactions" ADD COLUMN     "scopeAccountId" TEXT,
ADD COLUMN     "scopePortfolioId" TEXT;

-- CreateIndex
CREATE INDEX "users_orgId_email_idx" ON "users"("orgId", "email");

-- CreateIndex
CREATE INDEX "audit_events_orgId_seq_idx" ON "audit_events"("orgId", "seq");

-- CreateIndex
CREATE INDEX "audit_events_scopePortfolioId_seq_idx" ON "audit_events"("scopePortfolioId", "seq");

-- CreateIndex
CREATE INDEX "audit_events_scopeAccountId_seq_idx" ON "audit_events"("scopeAccountId", "seq");

-- CreateIndex
CREATE INDEX "gateway_transactions_scopePortfolioId_environment_at_id_idx" ON "gateway_transactions"("scopePortfolioId", "environment", "at", "id");

-- CreateIndex
CREATE INDEX "gateway_transactions_scopeAccountId_environment_at_id_idx" ON "gateway_transactions"("scopeAccountId", "environment", "at", "id");


-- Issue 21: who sees an audit record or a gateway transaction above its own org, set by the
-- database on insert from the org's row, so every writer (recordAudit, the gateway's batched
-- recorder) gets it without a second round trip and a portfolio's list is one indexed
-- equality instead of a list of its 100,000+ MIDs.
CREATE FUNCTION "audit_events_scope"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT CASE WHEN o."type" = 'PORTFOLIO' THEN o."id" ELSE o."portfolioId" END,
         CASE WHEN o."type" = 'ACCOUNT' THEN o."id" ELSE o."accountId" END
    INTO NEW."scopePortfolioId", NEW."scopeAccountId"
    FROM "organizations" o WHERE o."id" = NEW."orgId";
  RETURN NEW;
END $$;

CREATE TRIGGER "audit_events_scope" BEFORE INSERT ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_scope"();

-- A transaction's tenant is its merchant (and the portfolio and account above it); a refused
-- meta-key request without merchant is shown to the key's owner only (lib/gateway/authenticate.ts
-- attribution), exactly as the list's former "merchantId OR metaKeyOwner" condition did.
CREATE FUNCTION "gateway_transactions_scope"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."merchantId" IS NOT NULL THEN
    SELECT CASE WHEN o."type" = 'PORTFOLIO' THEN o."id" ELSE o."portfolioId" END,
           CASE WHEN o."type" = 'ACCOUNT' THEN o."id" ELSE o."accountId" END
      INTO NEW."scopePortfolioId", NEW."scopeAccountId"
      FROM "organizations" o WHERE o."id" = NEW."merchantId";
  ELSIF NEW."metaKeyOwner" IS NOT NULL THEN
    SELECT CASE WHEN o."type" = 'PORTFOLIO' THEN o."id" END,
           CASE WHEN o."type" = 'ACCOUNT' THEN o."id" END
      INTO NEW."scopePortfolioId", NEW."scopeAccountId"
      FROM "organizations" o WHERE o."id" = NEW."metaKeyOwner";
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "gateway_transactions_scope" BEFORE INSERT ON "gateway_transactions"
  FOR EACH ROW EXECUTE FUNCTION "gateway_transactions_scope"();

-- Existing rows.
UPDATE "audit_events" a
   SET "scopePortfolioId" = CASE WHEN o."type" = 'PORTFOLIO' THEN o."id" ELSE o."portfolioId" END,
       "scopeAccountId" = CASE WHEN o."type" = 'ACCOUNT' THEN o."id" ELSE o."accountId" END
  FROM "organizations" o WHERE o."id" = a."orgId";

UPDATE "gateway_transactions" t
   SET "scopePortfolioId" = CASE WHEN o."type" = 'PORTFOLIO' THEN o."id" ELSE o."portfolioId" END,
       "scopeAccountId" = CASE WHEN o."type" = 'ACCOUNT' THEN o."id" ELSE o."accountId" END
  FROM "organizations" o WHERE o."id" = t."merchantId";

UPDATE "gateway_transactions" t
   SET "scopePortfolioId" = CASE WHEN o."type" = 'PORTFOLIO' THEN o."id" END,
       "scopeAccountId" = CASE WHEN o."type" = 'ACCOUNT' THEN o."id" END
  FROM "organizations" o WHERE t."merchantId" IS NULL AND o."id" = t."metaKeyOwner";
