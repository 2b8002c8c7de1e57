import "server-only";
import type { DbTransaction } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

export interface AuditEntry {
  actorId: string | null;
  projectId?: string | null;
  action: string;
  objectType: string;
  objectId: string;
  before?: Prisma.InputJsonValue;
  after?: Prisma.InputJsonValue;
}

/** Appends to the audit log inside the caller's transaction, so a change and its record land together. */
export async function recordAudit(tx: DbTransaction, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({ data: { ...entry, projectId: entry.projectId ?? null } });
}
