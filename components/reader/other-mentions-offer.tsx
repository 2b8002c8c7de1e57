"use client";

import { useEffect, useState } from "react";
import type { Message } from "@/components/ui/dismissible-message";
import { annotationApi } from "./annotation-api";
import type { ClientEntity, Occurrence, ProjectOccurrences } from "./types";

type Place = { start: number; end: number; quote: string };

function plural(count: number, word: string) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/**
 * After tagging a mention: "tag the other N mentions of this name or its aliases", in this article and across the
 * project's other articles, all at once or one by one. In this article through `onTagHere` (the reader draws them);
 * elsewhere through the batch create, one request per article.
 */
export function OtherMentionsOffer({
  articleId,
  entity,
  placesHere,
  onTagHere,
  onReport,
  onClose,
}: {
  articleId: string;
  entity: ClientEntity;
  placesHere: Place[];
  onTagHere: (places: Place[]) => Promise<number>;
  onReport: (message: Message) => void;
  onClose: () => void;
}) {
  const [here, setHere] = useState(placesHere);
  const [elsewhere, setElsewhere] = useState<ProjectOccurrences | null>(null);
  const [isListShown, setIsListShown] = useState(false);
  const [isBusy, setIsBusy] = useState(false);

  useEffect(() => {
    let isCurrent = true;
    void annotationApi.occurrences(entity.id, articleId).then((result) => {
      if (isCurrent && result.ok) setElsewhere(result.data);
    });
    return () => {
      isCurrent = false;
    };
  }, [entity.id, articleId]);

  const elsewhereCount = elsewhere?.articles.reduce((sum, article) => sum + article.occurrences.length, 0) ?? 0;
  if (here.length === 0 && elsewhereCount === 0 && elsewhere !== null) return null;

  async function tagHere(places: Place[]) {
    setIsBusy(true);
    const tagged = await onTagHere(places);
    setIsBusy(false);
    // Nothing tagged: the reader has said why (refused, or kept in the browser until the server answers).
    if (tagged === 0) return;
    setHere((current) => current.filter((place) => !places.includes(place)));
    onReport({ tone: "info", text: `Tagged ${plural(tagged, "more mention")} of ${entity.name} in this article.` });
  }

  async function tagElsewhere(targets: { articleId: string; occurrences: Occurrence[] }[]) {
    setIsBusy(true);
    let tagged = 0;
    const failures: string[] = [];
    for (const target of targets) {
      const spans = target.occurrences.map(({ start, end, quote }) => ({ start, end, quote, idempotencyKey: crypto.randomUUID() }));
      const result = await annotationApi.createEntityMentions(target.articleId, spans, entity.id);
      if (result.ok) tagged += result.data.annotations.length;
      else failures.push(result.message);
      if (result.ok) {
        const done = new Set(target.occurrences);
        setElsewhere((current) =>
          current && {
            ...current,
            articles: current.articles
              .map((article) => (article.articleId === target.articleId ? { ...article, occurrences: article.occurrences.filter((place) => !done.has(place)) } : article))
              .filter((article) => article.occurrences.length > 0),
          },
        );
      }
    }
    setIsBusy(false);
    onReport(
      failures.length
        ? { tone: "error", text: `Tagged ${plural(tagged, "mention")} in other articles; ${plural(failures.length, "article")} refused: ${failures[0]}` }
        : { tone: "info", text: `Tagged ${plural(tagged, "mention")} of ${entity.name} in other articles of the project.` },
    );
  }

  return (
    <div className="notice stack" role="region" aria-label="Other mentions" aria-busy={isBusy}>
      {here.length > 0 && (
        <p>
          Tag the other {plural(here.length, "mention")} of {entity.name} in this article?{" "}
          <button type="button" disabled={isBusy} onClick={() => tagHere(here)}>
            Tag all {here.length}
          </button>{" "}
          <button type="button" className="secondary" disabled={isBusy} onClick={() => tagHere(here.slice(0, 1))}>
            Tag the next one (“{here[0]!.quote}”)
          </button>
        </p>
      )}
      {elsewhere === null ? (
        <p className="muted">Looking for {entity.name} in the project’s other articles…</p>
      ) : (
        elsewhereCount > 0 && (
          <div>
            <p>
              Across the project: {plural(elsewhereCount, "untagged mention")} in {plural(elsewhere.articles.length, "other article")}
              {elsewhere.truncated ? " (the first 2,000)" : ""}.{" "}
              <button type="button" disabled={isBusy} onClick={() => tagElsewhere(elsewhere.articles)}>
                Tag all {elsewhereCount} across the project
              </button>{" "}
              <button type="button" className="secondary" aria-expanded={isListShown} onClick={() => setIsListShown(!isListShown)}>
                {isListShown ? "Hide them" : "Review them one by one"}
              </button>
            </p>
            {isListShown && (
              <ul className="occurrence-list">
                {elsewhere.articles.flatMap((article) =>
                  article.occurrences.map((place) => (
                    <li key={`${article.articleId}:${place.start}`}>
                      <span className="muted">{article.title}:</span> …{place.before}
                      <mark>{place.quote}</mark>
                      {place.after}…{" "}
                      <button
                        type="button"
                        className="secondary"
                        disabled={isBusy}
                        aria-label={`Tag “${place.quote}” in ${article.title} at ${place.start}`}
                        onClick={() => tagElsewhere([{ articleId: article.articleId, occurrences: [place] }])}
                      >
                        Tag
                      </button>
                    </li>
                  )),
                )}
              </ul>
            )}
          </div>
        )
      )}
      <p>
        <button type="button" className="link" onClick={onClose}>
          No thanks
        </button>
      </p>
    </div>
  );
}
