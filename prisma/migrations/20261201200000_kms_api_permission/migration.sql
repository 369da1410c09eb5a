-- "Key Management API" on REST – Shared Secret and REST – Certificate keys (issue 15): only
-- such a key may manage keys through /kms/v2 and /keycenter/v1. Off for every existing key.
-- AlterTable
ALTER TABLE "keys" ADD COLUMN "kmsApi" BOOLEAN NOT NULL DEFAULT false;
