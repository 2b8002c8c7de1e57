import { expect, test } from "vitest";
import { db } from "@/lib/db";

test("each file starts with a migrated, empty database", async () => {
  expect(await db.user.count()).toBe(0);
  expect(await db.project.count()).toBe(0);
});
