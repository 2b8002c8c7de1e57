import Link from "next/link";

export interface ArticleRow {
  id: string;
  position: number;
  title: string;
  source: string | null;
  reviewStatus: string;
  progress: { userId: string; name: string; status: string }[];
}

const statusLabel: Record<string, string> = { NEW: "new", IN_PROGRESS: "in progress", FINISHED: "finished" };

export function ArticleTable({ articles, showReview }: { articles: ArticleRow[]; showReview: boolean }) {
  if (articles.length === 0) return <p className="muted">No articles yet.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Article</th>
          <th scope="col">Source</th>
          <th scope="col">Annotator progress</th>
          {showReview && <th scope="col">Review</th>}
        </tr>
      </thead>
      <tbody>
        {articles.map((article) => (
          <tr key={article.id}>
            <td>{article.position}</td>
            <td>
              <Link href={`/articles/${article.id}`}>{article.title}</Link>
            </td>
            <td>{article.source ?? <span className="muted">—</span>}</td>
            <td>
              <ul aria-label={`Progress on ${article.title}`} style={{ listStyle: "none", margin: 0, padding: 0 }}>
                {article.progress.map((entry) => (
                  <li key={entry.userId}>
                    {entry.name}: <span className={`badge ${entry.status}`}>{statusLabel[entry.status] ?? entry.status}</span>
                  </li>
                ))}
              </ul>
            </td>
            {showReview && (
              <td>
                <Link href={`/articles/${article.id}/review`} aria-label={`Review ${article.title}`}>
                  {article.reviewStatus.toLowerCase().replace("_", " ")}
                </Link>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
