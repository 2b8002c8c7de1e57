import type { ReaderAnnotation } from "@/lib/reader/packed-annotations";

/** An annotation as the API returns it (see README, API), timestamps optional. Offsets: UTF-16 code units. */
export type ClientAnnotation = ReaderAnnotation;

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

export interface Occurrence extends Span {
  quote: string;
  before: string;
  after: string;
}

/** GET /api/entities/:id/occurrences: untagged places of an entity's names in the project's other articles. */
export interface ProjectOccurrences {
  articles: { articleId: string; title: string; occurrences: Occurrence[] }[];
  total: number;
  truncated: boolean;
}
