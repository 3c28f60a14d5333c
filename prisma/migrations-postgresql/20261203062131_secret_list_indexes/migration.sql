-- DropIndex
DROP INDEX "Secret_environmentId_key_projectId_keyFolded_description_idx";

-- CreateIndex
CREATE INDEX "Secret_environmentId_projectId_key_keyFolded_description_idx" ON "Secret"("environmentId", "projectId", "key", "keyFolded", "description");

-- CreateIndex
CREATE INDEX "Secret_environmentId_projectId_updatedAt_id_idx" ON "Secret"("environmentId", "projectId", "updatedAt", "id");
