-- CreateIndex
CREATE INDEX "keys_expiresAt_idx" ON "keys"("expiresAt");

