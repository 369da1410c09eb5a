-- CreateEnum
CREATE TYPE "ReportKind" AS ENUM ('ACCOUNT_UPDATER', 'NOTICE_OF_CHANGE');

-- CreateEnum
CREATE TYPE "ReportStatus" AS ENUM ('RECEIVED', 'PROCESSING', 'COMPLETE', 'FAILED');

-- CreateTable
CREATE TABLE "secure_acceptance_nonces" (
    "profileId" TEXT NOT NULL,
    "transactionUuid" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "secure_acceptance_nonces_pkey" PRIMARY KEY ("profileId","transactionUuid")
);

-- CreateTable
CREATE TABLE "reports" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "environment" "Environment" NOT NULL,
    "kind" "ReportKind" NOT NULL,
    "name" TEXT NOT NULL,
    "status" "ReportStatus" NOT NULL DEFAULT 'RECEIVED',
    "content" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "reports_orgId_environment_createdAt_idx" ON "reports"("orgId", "environment", "createdAt");

-- AddForeignKey
ALTER TABLE "reports" ADD CONSTRAINT "reports_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

