import { expect, test } from "vitest";
import type { AnnotationJson } from "@/lib/validation/annotation";
import { diffAnnotations } from "./diff";
import { packReview, unpackReview } from "./packed-review";
import type { ArticleReviewJson, GoldAnnotationJson } from "./types";

const text = "🇫🇷 Vladimir Putin met Hollande in Moscow. Hollande said Putin is wrong.";
const at = (quote: string, occurrence = 0) => {
  let start = -1;
  for (let seen = 0; seen <= occurrence; seen++) start = text.indexOf(quote, start + 1);
  return { start, end: start + quote.length, quote };
};
const people = { ana: { id: "ana", name: "Ana" }, ben: { id: "ben", name: "Ben" } };
const putin = { id: "e-putin", name: "Vladimir Putin", type: "PER", aliases: ["Putin"] };
const hollande = { id: "e-hollande", name: "François Hollande", type: "PER", aliases: ["Hollande"] };
const stamp = { createdAt: "2026-11-30T10:00:00.000Z", updatedAt: "2026-11-30T10:00:00.000Z", deletedAt: null };

function mention(id: string, who: "ana" | "ben", quote: string, entity = putin, entityType = "PER", occurrence = 0): AnnotationJson {
  return {
    id,
    articleId: "a1",
    articleVersion: 1,
    layer: "user",
    userId: who,
    annotator: people[who],
    kind: "entity",
    ...at(quote, occurrence),
    entityType,
    entityId: entity.id,
    entity,
    holderEntityId: null,
    targetEntityId: null,
    holder: null,
    target: null,
    polarity: null,
    note: null,
    version: 2,
    ...stamp,
  };
}

function stance(id: string, who: "ana" | "ben", polarity: string): AnnotationJson {
  return {
    ...mention(id, who, "Hollande said Putin is wrong"),
    kind: "stance",
    entityType: null,
    entityId: null,
    entity: null,
    holderEntityId: hollande.id,
    targetEntityId: putin.id,
    holder: { id: hollande.id, name: hollande.name, type: "PER" },
    target: { id: putin.id, name: putin.name, type: "PER" },
    polarity,
  };
}

test("unpacking a packed review gives the review back, but timestamps", () => {
  const annotations = [
    mention("m1", "ana", "Vladimir Putin"),
    mention("m2", "ben", "Vladimir Putin"),
    mention("m3", "ana", "Hollande", hollande),
    mention("m4", "ben", "Hollande", hollande, "ORG"),
    mention("m5", "ana", "Moscow", { id: "e-moscow", name: "Moscow", type: "LOC", aliases: [] }, "LOC"),
    stance("s1", "ana", "AGAINST"),
    stance("s2", "ben", "NEUTRAL"),
  ];
  const gold: GoldAnnotationJson[] = [{ ...mention("g1", "ana", "Vladimir Putin"), layer: "gold", userId: null, annotator: null, derivedFromIds: ["m1", "m2"] }];
  const review: ArticleReviewJson = {
    article: { id: "a1", title: "T", version: 1, reviewStatus: "IN_REVIEW" },
    annotators: [
      { ...people.ana, email: "ana@x", status: "FINISHED" },
      { ...people.ben, email: "ben@x", status: "IN_PROGRESS" },
    ],
    groups: diffAnnotations({ annotations, annotatorIds: ["ana", "ben"], gold, rejectedGroupKeys: [] }),
    gold,
    notes: [],
  };
  const strip = <T extends object>(value: T) => {
    const { createdAt: _c, updatedAt: _u, deletedAt: _d, ...rest } = value as T & { createdAt?: string; updatedAt?: string; deletedAt?: string | null };
    return rest;
  };
  const unpacked = unpackReview(JSON.parse(JSON.stringify(packReview(review))), text);
  expect(unpacked.gold).toEqual(gold.map(strip));
  expect(unpacked.groups).toEqual(
    review.groups.map((group) => ({
      ...group,
      members: Object.fromEntries(Object.entries(group.members).map(([id, member]) => [id, member && strip(member)])),
      gold: group.gold && strip(group.gold),
    })),
  );
  expect(unpacked.groups.map((group) => group.status)).toContain("disagreed");
});
