-- DropIndex
DROP INDEX "AuditEvent_projectId_createdAt_idx";

-- AlterTable
ALTER TABLE "Deployment" ADD COLUMN "rollbackOf" INTEGER;
ALTER TABLE "Deployment" ADD COLUMN "workingSetAt" DATETIME;

-- CreateIndex
CREATE INDEX "AuditEvent_projectId_createdAt_id_idx" ON "AuditEvent"("projectId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_projectId_action_createdAt_id_idx" ON "AuditEvent"("projectId", "action", "createdAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_projectId_actorId_createdAt_id_idx" ON "AuditEvent"("projectId", "actorId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_projectId_actorTokenId_createdAt_id_idx" ON "AuditEvent"("projectId", "actorTokenId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_projectId_targetLabel_createdAt_id_idx" ON "AuditEvent"("projectId", "targetLabel", "createdAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_projectId_environment_createdAt_id_idx" ON "AuditEvent"("projectId", "environment", "createdAt", "id");
