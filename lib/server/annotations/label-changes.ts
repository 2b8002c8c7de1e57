import "server-only";
import type { DbTransaction } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { findEntityTypeByName } from "@/lib/server/entities/entity-types";
import { findOrCreateEntity } from "@/lib/server/entities/find-or-create-entity";
import { requireProjectEntity } from "@/lib/server/entities/references";
import type { UpdateAnnotationInput } from "@/lib/validation/annotation";
import { findPolarityByName } from "./polarities";

export interface LabelColumns {
  entityTypeId?: string;
  entityId?: string;
  holderEntityId?: string;
  targetEntityId?: string;
  polarityId?: string;
}

const entityFields = ["entityType", "entityId", "entityName"] as const;
const stanceFields = ["holderEntityId", "targetEntityId", "polarity"] as const;

function refuseFields(changes: UpdateAnnotationInput, fields: readonly (keyof UpdateAnnotationInput)[], message: string) {
  const sent = fields.filter((field) => changes[field] !== undefined);
  if (sent.length > 0) throw new AppError("validation_failed", `${sent.join(", ")}: ${message}`, { fields: sent });
}

/**
 * The label columns a patch changes. Entity mentions: entityId relinks (the type follows the entity unless
 * entityType is sent too); entityName finds or creates the entity in entityType, else in the mention's type;
 * entityType alone relabels the mention and keeps its entity. Stances: holder, target, polarity.
 */
export async function resolveLabelChanges(
  tx: DbTransaction,
  { userId, projectId, current, changes }: { userId: string; projectId: string; current: { kind: "entity" | "stance"; entityTypeId: string | null }; changes: UpdateAnnotationInput },
): Promise<LabelColumns> {
  if (current.kind === "stance") {
    refuseFields(changes, entityFields, "these apply to entity mentions; this annotation is a stance.");
    const columns: LabelColumns = {};
    if (changes.polarity !== undefined) columns.polarityId = (await findPolarityByName(tx, { projectId, name: changes.polarity })).id;
    if (changes.holderEntityId !== undefined) columns.holderEntityId = (await requireProjectEntity(tx, { projectId, field: "holderEntityId", id: changes.holderEntityId })).id;
    if (changes.targetEntityId !== undefined) columns.targetEntityId = (await requireProjectEntity(tx, { projectId, field: "targetEntityId", id: changes.targetEntityId })).id;
    return columns;
  }
  refuseFields(changes, stanceFields, "these apply to stances; this annotation is an entity mention.");
  const type = changes.entityType !== undefined ? await findEntityTypeByName(tx, { projectId, name: changes.entityType }) : null;
  if (changes.entityId !== undefined) {
    const entity = await requireProjectEntity(tx, { projectId, field: "entityId", id: changes.entityId });
    return { entityId: entity.id, entityTypeId: type?.id ?? entity.entityTypeId };
  }
  if (changes.entityName !== undefined) {
    const entityTypeId = type?.id ?? current.entityTypeId;
    if (!entityTypeId) throw new AppError("validation_failed", "entityType: send the type of the entity to link, e.g. \"PER\".", { field: "entityType" });
    const entity = await findOrCreateEntity(tx, { actorId: userId, projectId, entityTypeId, name: changes.entityName });
    return { entityId: entity.id, entityTypeId };
  }
  return type ? { entityTypeId: type.id } : {};
}
