-- AlterTable
ALTER TABLE "Secret" ADD COLUMN "lastReadAt" DATETIME;
ALTER TABLE "Secret" ADD COLUMN "lastReadBy" TEXT;
ALTER TABLE "Secret" ADD COLUMN "lastReadTokenId" TEXT;

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN "hash" TEXT;
ALTER TABLE "AuditEvent" ADD COLUMN "prevHash" TEXT;
ALTER TABLE "AuditEvent" ADD COLUMN "seq" INTEGER;

-- CreateTable
CREATE TABLE "AuditChain" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "hash" TEXT,
    "verifiedAt" DATETIME,
    "verifiedOk" BOOLEAN,
    "verifiedChecked" INTEGER,
    "verifiedProblem" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_projectId_seq_key" ON "AuditEvent"("projectId", "seq");

-- Chains that already have events: seq -1 marks them for sealing (numbering and
-- hashing their events, which SQL cannot do portably) on their first use (lib/audit/chain.ts).
INSERT INTO "AuditChain" ("id", "seq") SELECT DISTINCT COALESCE("projectId", '-'), -1 FROM "AuditEvent";
