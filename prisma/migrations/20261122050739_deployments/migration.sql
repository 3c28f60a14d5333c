-- AlterTable
ALTER TABLE "Environment" ADD COLUMN "changedAt" DATETIME;
ALTER TABLE "Environment" ADD COLUMN "deployHookUrl" TEXT;
ALTER TABLE "Environment" ADD COLUMN "hookSecretId" TEXT;

-- CreateTable
CREATE TABLE "Deployment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "triggeredById" TEXT,
    "triggeredBy" TEXT NOT NULL,
    "changes" TEXT NOT NULL DEFAULT '{}',
    "snapshot" BLOB NOT NULL,
    "secretCount" INTEGER NOT NULL,
    "error" TEXT,
    "hookStatus" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "Deployment_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Deployment_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DeploymentSecret" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "deploymentId" TEXT NOT NULL,
    "secretId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "revision" INTEGER NOT NULL,
    CONSTRAINT "DeploymentSecret_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "Deployment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Deployment_environmentId_status_idx" ON "Deployment"("environmentId", "status");

-- CreateIndex
CREATE INDEX "Deployment_projectId_createdAt_idx" ON "Deployment"("projectId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Deployment_environmentId_number_key" ON "Deployment"("environmentId", "number");

-- CreateIndex
CREATE INDEX "DeploymentSecret_deploymentId_idx" ON "DeploymentSecret"("deploymentId");
