-- The new indexes first, then the one they replace: a failure partway never
-- leaves the secrets list without an index, and a re-run picks up where it stopped.

-- CreateIndex
CREATE INDEX IF NOT EXISTS "Secret_environmentId_projectId_key_keyFolded_description_idx" ON "Secret"("environmentId", "projectId", "key", "keyFolded", "description");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "Secret_environmentId_projectId_updatedAt_id_idx" ON "Secret"("environmentId", "projectId", "updatedAt", "id");

-- DropIndex
DROP INDEX IF EXISTS "Secret_environmentId_key_projectId_keyFolded_description_idx";
