/*
 * The per-article work several formats share, done at most once per article and only when a format asks for it:
 * the layer groups, the UTF-16 → code point table, the tokens and sentences, each group's IOB2 tags. The bundle
 * writes every format from one pass over the articles and hands the same PreparedArticle to each writer; a single
 * format prepares its own.
 */
import { createCodePointMapper, type CodePointMapper } from "./code-points";
import { analyzeText, iobTags, type TextAnalysis } from "./iob";
import { layerGroups, type ExportArticle, type ExportContext, type LayerGroup } from "./model";

export class PreparedArticle {
  readonly groups: LayerGroup[];
  private analysisCache: TextAnalysis | null = null;
  private mapperCache: CodePointMapper | null = null;
  private readonly tagsCache = new Map<LayerGroup, string[]>();
  private tokenTextsCache: string[] | null = null;
  private tokenJsonCache: string[] | null = null;
  private textJsonCache: string | null = null;
  private escapesCache: Int32Array | null = null;

  constructor(
    readonly article: ExportArticle,
    ctx: ExportContext,
  ) {
    this.groups = layerGroups(article, ctx.layer);
  }

  /** Tokens and sentences of the text (lib/text/tokenize.ts). */
  get analysis(): TextAnalysis {
    return (this.analysisCache ??= analyzeText(this.article.text));
  }

  /** UTF-16 offset → code point offset in the text. */
  get toCodePoint(): CodePointMapper {
    return (this.mapperCache ??= createCodePointMapper(this.article.text));
  }

  /** JSON.stringify(text) (jsonl and spaCy both write it). */
  get textJson(): string {
    return (this.textJsonCache ??= JSON.stringify(this.article.text));
  }

  /** The text of every token. */
  get tokenTexts(): string[] {
    if (!this.tokenTextsCache) {
      const { text } = this.article;
      const { starts, ends } = this.analysis;
      const texts: string[] = new Array(starts.length);
      for (let i = 0; i < starts.length; i++) texts[i] = text.slice(starts[i]!, ends[i]!);
      this.tokenTextsCache = texts;
    }
    return this.tokenTextsCache;
  }

  /** How many code units JSON escapes (quote, backslash, control characters, surrogates) lie before each offset. */
  private get escapes(): Int32Array {
    if (!this.escapesCache) {
      const { text } = this.article;
      const escapes = new Int32Array(text.length + 1);
      let count = 0;
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) count++;
        escapes[i + 1] = count;
      }
      this.escapesCache = escapes;
    }
    return this.escapesCache;
  }

  /** Whether token `i` is written in JSON as it is, between quotes (nothing in it is escaped). */
  private isJsonPlain(i: number): boolean {
    const escapes = this.escapes;
    const { starts, ends } = this.analysis;
    return escapes[ends[i]!] === escapes[starts[i]!];
  }

  /** Every token as a JSON string (JSON.stringify of its text): spaCy and HF both write them. */
  get tokenJson(): string[] {
    if (!this.tokenJsonCache) {
      const texts = this.tokenTexts;
      const json: string[] = new Array(texts.length);
      for (let i = 0; i < texts.length; i++) json[i] = this.isJsonPlain(i) ? `"${texts[i]}"` : JSON.stringify(texts[i]);
      this.tokenJsonCache = json;
    }
    return this.tokenJsonCache;
  }

  /** The IOB2 tag of every token for one of `groups`. */
  tags(group: LayerGroup): string[] {
    let tags = this.tagsCache.get(group);
    if (!tags) this.tagsCache.set(group, (tags = iobTags(this.analysis, group.annotations)));
    return tags;
  }
}

export function prepareArticle(article: ExportArticle, ctx: ExportContext): PreparedArticle {
  return new PreparedArticle(article, ctx);
}
