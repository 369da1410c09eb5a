-- DropIndex
DROP INDEX "organizations_accountId_type_idx";

-- DropIndex
DROP INDEX "organizations_portfolioId_type_idx";

-- CreateIndex
CREATE INDEX "organizations_portfolioId_type_id_idx" ON "organizations"("portfolioId", "type", "id");

-- CreateIndex
CREATE INDEX "organizations_accountId_type_id_idx" ON "organizations"("accountId", "type", "id");
