-- AlterTable
ALTER TABLE "Secret" ADD COLUMN     "lastReadAt" TIMESTAMP(3),
ADD COLUMN     "lastReadBy" TEXT,
ADD COLUMN     "lastReadTokenId" TEXT;

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "hash" TEXT,
ADD COLUMN     "prevHash" TEXT,
ADD COLUMN     "seq" INTEGER;

-- CreateTable
CREATE TABLE "AuditChain" (
    "id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "hash" TEXT,
    "verifiedAt" TIMESTAMP(3),
    "verifiedOk" BOOLEAN,
    "verifiedChecked" INTEGER,
    "verifiedProblem" TEXT,

    CONSTRAINT "AuditChain_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_projectId_seq_key" ON "AuditEvent"("projectId", "seq");

-- Chains that already have events: seq -1 marks them for sealing (numbering and
-- hashing their events, which SQL cannot do portably) on their first use (lib/audit/chain.ts).
INSERT INTO "AuditChain" ("id", "seq") SELECT DISTINCT COALESCE("projectId", '-'), -1 FROM "AuditEvent";
