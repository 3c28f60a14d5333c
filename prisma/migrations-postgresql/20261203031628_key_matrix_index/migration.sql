-- CreateIndex
CREATE INDEX "Secret_projectId_key_environmentId_idx" ON "Secret"("projectId", "key", "environmentId");
