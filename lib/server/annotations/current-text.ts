import "server-only";
import type { DbTransaction } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { checkSpan, splitsSurrogatePair } from "@/lib/text/offsets";

type Client = Pick<DbTransaction, "$queryRaw" | "articleVersion">;

// Article versions never change (a trigger refuses updates), so their texts can be kept: a create or move on a
// 1,000,000-character article then reads two small rows instead of two megabytes. Least recently used go first.
const textCache = new Map<string, string>();
const textCacheBudget = 32 * 1024 * 1024;
let cachedCharacters = 0;

/** The canonical text of an article version, from the cache when it is there. */
export async function versionText(client: Pick<DbTransaction, "articleVersion">, versionId: string): Promise<string> {
  const cached = textCache.get(versionId);
  if (cached !== undefined) {
    textCache.delete(versionId);
    textCache.set(versionId, cached);
    return cached;
  }
  const { text } = await client.articleVersion.findUniqueOrThrow({ where: { id: versionId }, select: { text: true } });
  textCache.set(versionId, text);
  cachedCharacters += text.length;
  for (const [id, oldest] of textCache) {
    if (cachedCharacters <= textCacheBudget) break;
    textCache.delete(id);
    cachedCharacters -= oldest.length;
  }
  return text;
}

/** The article's current version: its id, number and canonical text. */
export async function getCurrentArticleVersion(client: Client, articleId: string) {
  const [version] = await client.$queryRaw<{ id: string; version: number }[]>`
    SELECT v."id", v."version" FROM "Article" a JOIN "ArticleVersion" v ON v."articleId" = a."id" AND v."version" = a."currentVersion"
    WHERE a."id" = ${articleId}`;
  if (!version) throw new AppError("not_found", "No such article, or it has no text.");
  return { ...version, text: await versionText(client, version.id) };
}

/**
 * Throws `validation_failed` with checkSpan's reason (and, for a wrong quote, the text actually there) when [start, end) with this quote is not a span of the text:
 * out of range, empty or reversed, splitting a surrogate pair, or a quote that differs from the text there.
 */
export function assertSpan(current: { text: string; version: number }, { start, end, quote }: { start: number; end: number; quote: string }): void {
  const reason = checkSpan(current.text, start, end, quote);
  if (reason === null) return;
  const isQuoteMismatch = start >= 0 && start < end && end <= current.text.length && !splitsSurrogatePair(current.text, start) && !splitsSurrogatePair(current.text, end);
  throw new AppError("validation_failed", `${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`, {
    start,
    end,
    quote,
    textLength: current.text.length,
    articleVersion: current.version,
    ...(isQuoteMismatch ? { textAtSpan: current.text.slice(start, end) } : {}),
  });
}
