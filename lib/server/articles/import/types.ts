import "server-only";

/** One article read from an imported file, before validation against createArticleSchema. */
export interface ImportedArticle {
  title: string;
  text: string;
  source: string | null;
  /** 1-based line of a .jsonl file, for error messages. */
  line?: number;
  /** Title and source worked out from the file (not given in it): a `title`/`source` form field replaces them. */
  isTitleDerived: boolean;
  isSourceDerived: boolean;
}
