-- Contains-searches of organization IDs and names (Switch merchant, the MID picker's filters,
-- "select all matching") read trigram indexes instead of every organization: a portfolio may
-- have 1,000,000 MIDs. pg_trgm ships with PostgreSQL (contrib) and with PGlite.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "organizations_id_trgm_idx" ON "organizations" USING GIN ("id" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "organizations_name_trgm_idx" ON "organizations" USING GIN ("name" gin_trgm_ops);
