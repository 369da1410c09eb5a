-- CreateEnum
CREATE TYPE "AlertChannel" AS ENUM ('EMAIL', 'WEBHOOK', 'IN_APP');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'SENT', 'FAILED');

-- AlterTable
ALTER TABLE "org_settings" ADD COLUMN     "webhookSecret" BYTEA,
ADD COLUMN     "webhookSecretCreatedAt" TIMESTAMP(3),
ADD COLUMN     "webhookUrl" TEXT;

-- CreateTable
CREATE TABLE "expiry_alerts" (
    "id" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "thresholdDays" INTEGER NOT NULL,
    "daysLeft" INTEGER NOT NULL,
    "keyName" TEXT NOT NULL,
    "keyType" "KeyType" NOT NULL,
    "environment" "Environment" NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "metaKey" BOOLEAN NOT NULL DEFAULT false,
    "midCount" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "expiry_alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_deliveries" (
    "id" TEXT NOT NULL,
    "alertId" TEXT NOT NULL,
    "channel" "AlertChannel" NOT NULL,
    "recipient" TEXT NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "lockedUntil" TIMESTAMP(3),
    "claimToken" TEXT,
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "alertId" TEXT,
    "keyId" TEXT,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "daysLeft" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" TIMESTAMP(3),

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_emails" (
    "id" TEXT NOT NULL,
    "orgId" TEXT,
    "deliveryId" TEXT,
    "from" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_emails_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "expiry_alerts_orgId_createdAt_idx" ON "expiry_alerts"("orgId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "expiry_alerts_keyId_thresholdDays_key" ON "expiry_alerts"("keyId", "thresholdDays");

-- CreateIndex
CREATE INDEX "alert_deliveries_status_nextAttemptAt_idx" ON "alert_deliveries"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "alert_deliveries_alertId_channel_recipient_key" ON "alert_deliveries"("alertId", "channel", "recipient");

-- CreateIndex
CREATE UNIQUE INDEX "notifications_alertId_key" ON "notifications"("alertId");

-- CreateIndex
CREATE INDEX "notifications_orgId_createdAt_idx" ON "notifications"("orgId", "createdAt");

-- CreateIndex
CREATE INDEX "notifications_orgId_readAt_idx" ON "notifications"("orgId", "readAt");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_emails_deliveryId_key" ON "outbox_emails"("deliveryId");

-- CreateIndex
CREATE INDEX "outbox_emails_orgId_createdAt_idx" ON "outbox_emails"("orgId", "createdAt");

-- AddForeignKey
ALTER TABLE "expiry_alerts" ADD CONSTRAINT "expiry_alerts_keyId_fkey" FOREIGN KEY ("keyId") REFERENCES "keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "expiry_alerts" ADD CONSTRAINT "expiry_alerts_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "expiry_alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "expiry_alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

