-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ProjectKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "masterKeyVersion" INTEGER NOT NULL,
    "wrappedKey" BLOB NOT NULL,
    "encryptions" BIGINT NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ProjectKey_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ProjectKey" ("createdAt", "encryptions", "id", "masterKeyVersion", "projectId", "version", "wrappedKey") SELECT "createdAt", "encryptions", "id", "masterKeyVersion", "projectId", "version", "wrappedKey" FROM "ProjectKey";
DROP TABLE "ProjectKey";
ALTER TABLE "new_ProjectKey" RENAME TO "ProjectKey";
CREATE UNIQUE INDEX "ProjectKey_projectId_version_key" ON "ProjectKey"("projectId", "version");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
