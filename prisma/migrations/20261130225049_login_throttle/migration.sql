-- CreateTable
CREATE TABLE "LoginThrottle" (
    "key" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LoginThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "LoginThrottle_windowStart_idx" ON "LoginThrottle"("windowStart");

-- Hand-written: invariants Prisma cannot express.
ALTER TABLE "LoginThrottle" ADD CONSTRAINT "LoginThrottle_attempts_check" CHECK ("attempts" >= 0);
ALTER TABLE "LoginThrottle" ADD CONSTRAINT "LoginThrottle_key_check" CHECK (char_length("key") BETWEEN 1 AND 400);
