-- DropIndex
DROP INDEX "Secret_environmentId_key_idx";

-- CreateIndex
CREATE INDEX "Secret_environmentId_key_projectId_keyFolded_description_idx" ON "Secret"("environmentId", "key", "projectId", "keyFolded", "description");
