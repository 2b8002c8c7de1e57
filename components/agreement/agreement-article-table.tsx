import Link from "next/link";
import type { AgreementArticleFigures } from "@/lib/agreement";
import { Figure, formatCount } from "./figure-format";

const shownFirst = 100;

/** Most disagreements first; then the lower span F1 (undefined last), then the project's article order. */
export function sortByDisagreement(articles: readonly AgreementArticleFigures[]): AgreementArticleFigures[] {
  const f1 = (article: AgreementArticleFigures) => article.spanF1 ?? Number.POSITIVE_INFINITY;
  return articles
    .map((article, index) => ({ article, index }))
    .sort((x, y) => y.article.disagreements - x.article.disagreements || f1(x.article) - f1(y.article) || x.index - y.index)
    .map(({ article }) => article);
}

function Rows({ articles }: { articles: AgreementArticleFigures[] }) {
  return (
    <>
      {articles.map((article) => (
        <tr key={article.id}>
          <th scope="row">
            <Link href={`/articles/${article.id}/review`}>{article.title}</Link>
          </th>
          <td>{formatCount(article.annotators)}</td>
          <td>{formatCount(article.tokens)}</td>
          <td>
            <Figure value={article.tokenAlpha} reason={article.tokenAlphaReason} />
          </td>
          <td>
            <Figure value={article.spanF1} reason={article.spanF1Reason} />
          </td>
          <td>
            <Figure value={article.stanceF1} reason={article.stanceF1Reason} />
          </td>
          <td>
            {article.disagreements > 0 ? (
              <Link href={`/articles/${article.id}/review`}>
                {formatCount(article.disagreements)}
                <span className="visually-hidden"> disagreements in {article.title}: review them</span>
              </Link>
            ) : (
              "0"
            )}
          </td>
        </tr>
      ))}
    </>
  );
}

function Head() {
  return (
    <thead>
      <tr>
        <th scope="col">Article (opens the review view)</th>
        <th scope="col">Annotators</th>
        <th scope="col">Tokens</th>
        <th scope="col">Token alpha</th>
        <th scope="col">Span F1</th>
        <th scope="col">Stance F1</th>
        <th scope="col">Disagreements</th>
      </tr>
    </thead>
  );
}

/** Per article, what disagrees most first; each article links to its review view. */
export function AgreementArticleTable({ articles }: { articles: readonly AgreementArticleFigures[] }) {
  if (articles.length === 0) return <p className="muted">No articles yet.</p>;
  const sorted = sortByDisagreement(articles);
  const first = sorted.slice(0, shownFirst);
  const rest = sorted.slice(shownFirst);
  return (
    <>
      <table className="compact agreement-articles">
        <caption className="visually-hidden">Agreement per article, most disagreements first</caption>
        <Head />
        <tbody>
          <Rows articles={first} />
        </tbody>
      </table>
      {rest.length > 0 && (
        <details className="agreement-more">
          <summary>
            Show the other {formatCount(rest.length)} articles ({formatCount(rest.reduce((sum, article) => sum + article.disagreements, 0))} disagreements)
          </summary>
          <table className="compact agreement-articles">
            <caption className="visually-hidden">Agreement per article, continued</caption>
            <Head />
            <tbody>
              <Rows articles={rest} />
            </tbody>
          </table>
        </details>
      )}
    </>
  );
}
