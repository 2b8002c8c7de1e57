-- CreateEnum
CREATE TYPE "ReviewDecision" AS ENUM ('rejected');

-- CreateTable
CREATE TABLE "ReviewNote" (
    "id" TEXT NOT NULL,
    "articleId" TEXT NOT NULL,
    "groupKey" TEXT NOT NULL,
    "decision" "ReviewDecision",
    "note" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdById" TEXT NOT NULL,
    "updatedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReviewNote_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReviewNote_articleId_groupKey_key" ON "ReviewNote"("articleId", "groupKey");

-- AddForeignKey
ALTER TABLE "ReviewNote" ADD CONSTRAINT "ReviewNote_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: invariants Prisma cannot express.
-- (Gold twins are kept out by locking the article row for every review write, not by a unique index: merging two
-- entities may rightly make two gold items identical, and must not fail on that.)
ALTER TABLE "ReviewNote" ADD CONSTRAINT "ReviewNote_version_check" CHECK ("version" >= 1);
ALTER TABLE "ReviewNote" ADD CONSTRAINT "ReviewNote_groupKey_check" CHECK (char_length("groupKey") > 0);
