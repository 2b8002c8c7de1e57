/*
 * What the agreement computation reads of a project: each article's current text with every participating
 * annotator's live mentions and stances. Built on the server by lib/server/review/agreement-input.ts.
 */

export interface AgreementMention {
  start: number;
  end: number;
  /** The mention's entity type name, e.g. "PER". */
  label: string;
}

export interface AgreementStance {
  holderEntityId: string;
  targetEntityId: string;
  /** The polarity name, e.g. "AGAINST". */
  polarity: string;
}

export interface AgreementAnnotator {
  userId: string;
  /** By start, then end. */
  mentions: AgreementMention[];
  /** By the start, then end, of their evidence span. */
  stances: AgreementStance[];
}

export interface AgreementArticle {
  id: string;
  title: string;
  text: string;
  /** Annotators with a live annotation on the current text, or who marked the article FINISHED; by userId. */
  annotators: AgreementAnnotator[];
}

export interface ProjectAgreementInput {
  /** In the project's article order. */
  articles: AgreementArticle[];
  /** The project's entity type names in their order. */
  labels: string[];
  /** userId → name (or email when the name is empty), for every member of the project and every annotator above. */
  annotatorNames: Record<string, string>;
}
