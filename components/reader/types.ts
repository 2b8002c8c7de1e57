/** An annotation as the API returns it (see README, API). Offsets: UTF-16 code units. */
export interface ClientAnnotation {
  id: string;
  articleId: string;
  layer: "user" | "gold";
  userId: string | null;
  annotator: { id: string; name: string } | null;
  kind: "entity" | "stance";
  start: number;
  end: number;
  quote: string;
  entityType: string | null;
  entityId: string | null;
  entity: { id: string; name: string; type: string; aliases: string[] } | null;
  holderEntityId: string | null;
  targetEntityId: string | null;
  holder: { id: string; name: string; type: string } | null;
  target: { id: string; name: string; type: string } | null;
  polarity: string | null;
  version: number;
}

export interface ClientEntity {
  id: string;
  name: string;
  type: string;
  aliases: string[];
  mentionCount?: number;
}

export interface EntityTypeTag {
  name: string;
  color: string;
}

export interface Span {
  start: number;
  end: number;
}

export type EntityChoice = { entityId: string } | { entityType: string; entityName: string };
