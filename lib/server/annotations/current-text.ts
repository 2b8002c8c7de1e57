import "server-only";
import type { DbTransaction } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { checkSpan, splitsSurrogatePair } from "@/lib/text/offsets";

type Client = Pick<DbTransaction, "article" | "articleVersion">;

/** The article's current version: its id, number and canonical text. */
export async function getCurrentArticleVersion(client: Client, articleId: string) {
  const article = await client.article.findUnique({ where: { id: articleId }, select: { currentVersion: true } });
  const version = article
    ? await client.articleVersion.findUnique({
        where: { articleId_version: { articleId, version: article.currentVersion } },
        select: { id: true, version: true, text: true },
      })
    : null;
  if (!version) throw new AppError("not_found", "No such article, or it has no text.");
  return version;
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
