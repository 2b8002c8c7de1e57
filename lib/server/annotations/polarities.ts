import "server-only";
import type { DbTransaction } from "@/lib/db";
import { AppError } from "@/lib/errors";

/**
 * The project's stance polarity called `name` ("AGAINST"): an exact match, else a case-insensitive one. Throws
 * `validation_failed` naming the project's polarities when there is none.
 */
export async function findPolarityByName(client: Pick<DbTransaction, "stancePolarity">, { projectId, name }: { projectId: string; name: string }) {
  const polarities = await client.stancePolarity.findMany({ where: { projectId }, select: { id: true, name: true }, orderBy: { position: "asc" } });
  const wanted = name.trim();
  const found = polarities.find((polarity) => polarity.name === wanted) ?? polarities.find((polarity) => polarity.name.toLowerCase() === wanted.toLowerCase());
  if (found) return found;
  const allowed = polarities.map((polarity) => polarity.name);
  const noneHint = wanted.toUpperCase() === "NONE" ? " NONE is the absence of a stance: delete the stance instead." : "";
  throw new AppError("validation_failed", `polarity: unknown stance polarity ${JSON.stringify(wanted)}. This project's polarities are ${allowed.join(", ")}.${noneHint}`, {
    field: "polarity",
    allowed,
  });
}
