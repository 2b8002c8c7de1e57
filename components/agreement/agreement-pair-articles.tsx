import Link from "next/link";
import type { PairArticles } from "@/lib/server/agreement/pair-articles";
import { formatCount } from "./figure-format";

/** The id of a pair's listing: the heatmap's cells link to it. */
export function pairAnchor(a: number, b: number): string {
  return `pair-${a}-${b}`;
}

/** For every pair of annotators, under the heatmap: the articles the two share, most disagreements first. */
export function AgreementPairArticles({ pairs, names, indexOf }: { pairs: PairArticles[]; names: Record<string, string>; indexOf: Record<string, number> }) {
  return (
    <div className="agreement-pairs">
      {pairs.map((pair) => {
        const id = pairAnchor(indexOf[pair.a]!, indexOf[pair.b]!);
        const title = `${names[pair.a] ?? pair.a} and ${names[pair.b] ?? pair.b}`;
        const notShown = pair.withDisagreements - pair.top.length;
        return (
          <section key={id} id={id} className="agreement-pair" aria-labelledby={`${id}-heading`} tabIndex={-1}>
            <h3 id={`${id}-heading`} className="small-heading">
              {title}
            </h3>
            {pair.shared === 0 ? (
              <p className="small muted">No article annotated by both.</p>
            ) : (
              <>
                <p className="small muted">
                  {formatCount(pair.shared)} shared article{pair.shared === 1 ? "" : "s"}, {formatCount(pair.withDisagreements)} with disagreements (
                  {formatCount(pair.disagreements)} in all: mentions without an exact match in the other’s layer, and stance tuples likewise).
                </p>
                {pair.top.length > 0 && (
                  <ol className="agreement-pair-list">
                    {pair.top.map((article) => (
                      <li key={article.id}>
                        <Link href={`/articles/${article.id}/review`}>{article.title}</Link>: {formatCount(article.disagreements)} disagreement
                        {article.disagreements === 1 ? "" : "s"}
                      </li>
                    ))}
                  </ol>
                )}
                {notShown > 0 && (
                  <p className="small muted">
                    and {formatCount(notShown)} more with fewer disagreements (see <a href="#articles-heading">the articles</a>).
                  </p>
                )}
              </>
            )}
          </section>
        );
      })}
    </div>
  );
}
