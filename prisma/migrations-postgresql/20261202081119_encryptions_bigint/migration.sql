-- AlterTable
ALTER TABLE "ProjectKey" ALTER COLUMN "encryptions" SET DATA TYPE BIGINT;
