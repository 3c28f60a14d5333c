-- AlterTable
ALTER TABLE "Secret" ADD COLUMN     "valueFingerprint" TEXT;

-- CreateIndex
CREATE INDEX "Secret_projectId_valueFingerprint_idx" ON "Secret"("projectId", "valueFingerprint");
