-- DropIndex
DROP INDEX "AuditEvent_projectId_createdAt_idx";

-- AlterTable
ALTER TABLE "Deployment" ADD COLUMN     "rollbackOf" INTEGER,
ADD COLUMN     "workingSetAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "AuditEvent_projectId_createdAt_id_idx" ON "AuditEvent"("projectId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_projectId_action_createdAt_idx" ON "AuditEvent"("projectId", "action", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_projectId_actorId_createdAt_idx" ON "AuditEvent"("projectId", "actorId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_projectId_actorTokenId_createdAt_idx" ON "AuditEvent"("projectId", "actorTokenId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_projectId_targetLabel_createdAt_idx" ON "AuditEvent"("projectId", "targetLabel", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_projectId_environment_createdAt_idx" ON "AuditEvent"("projectId", "environment", "createdAt");
