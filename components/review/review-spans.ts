import { colorOfPolarity, describeAnnotation } from "@/components/reader/annotation-panel";
import type { SpanDecoration } from "@/components/reader/annotation-decorations";
import type { EntityTypeTag } from "@/components/reader/types";
import type { ReviewView } from "@/lib/review/packed-review";

/** Okabe–Ito colours, distinguishable with the common colour-vision deficiencies. */
export const annotatorColors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

export type ColorMode = "annotator" | "type";

/**
 * What the review view draws: every annotator's spans in their own lane (lane = their position), coloured by
 * annotator or by type; gold items as a tinted background; disagreeing groups marked; the current group selected.
 */
export function reviewSpans(review: ReviewView, { mode, currentKey, entityTypes }: { mode: ColorMode; currentKey: string | null; entityTypes: EntityTypeTag[] }): SpanDecoration[] {
  const laneOf = new Map(review.annotators.map((annotator, index) => [annotator.id, index]));
  const typeColor = new Map(entityTypes.map((type) => [type.name, type.color]));
  const nameOf = new Map(review.annotators.map((annotator) => [annotator.id, annotator.name]));
  const spans: SpanDecoration[] = [];
  for (const group of review.groups) {
    const isSelected = group.key === currentKey;
    for (const [userId, member] of Object.entries(group.members)) {
      if (!member) continue;
      const lane = laneOf.get(userId) ?? 0;
      const color =
        mode === "annotator"
          ? annotatorColors[lane % annotatorColors.length]!
          : member.kind === "stance"
            ? colorOfPolarity(member.polarity)
            : (typeColor.get(member.entityType ?? "") ?? "#888");
      spans.push({
        id: member.id,
        start: member.start,
        end: member.end,
        kind: member.kind,
        color,
        lane,
        title: `${nameOf.get(userId) ?? "?"}: ${describeAnnotation(member)}${group.status === "disagreed" ? ` · differs: ${group.differences.join(", ")}` : ""}`,
        isSelected,
        isDisputed: group.status === "disagreed" && !group.settled,
      });
    }
  }
  for (const gold of review.gold) {
    spans.push({
      id: gold.id,
      start: gold.start,
      end: gold.end,
      kind: "gold",
      color: gold.kind === "stance" ? colorOfPolarity(gold.polarity) : (typeColor.get(gold.entityType ?? "") ?? "#888"),
      lane: 0,
      title: `Gold: ${describeAnnotation(gold)}`,
      isSelected: false,
    });
  }
  return spans.sort((a, b) => a.start - b.start || b.end - a.end);
}
