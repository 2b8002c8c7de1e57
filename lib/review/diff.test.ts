import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { AnnotationJson } from "@/lib/validation/annotation";
import { diffAnnotations } from "./diff";
import { comparisonGroupKey } from "./group-key";
import type { GoldAnnotationJson } from "./types";

/*
 * Hand-made cases for the comparison groups of the review. Text positions are made up; only start and end matter.
 * Annotators: ana, ben, cai. Entities: e-putin, e-hollande, e-moscow.
 */

const base = {
  articleId: "article",
  articleVersion: 1,
  annotator: null,
  quote: "x",
  entity: null,
  holder: null,
  target: null,
  note: null,
  version: 1,
  createdAt: "2026-11-30T10:00:00.000Z",
  updatedAt: "2026-11-30T10:00:00.000Z",
  deletedAt: null,
} as const;

function mention(id: string, userId: string, start: number, end: number, entityType = "PER", entityId = "e-putin"): AnnotationJson {
  return { ...base, id, layer: "user", userId, kind: "entity", start, end, entityType, entityId, holderEntityId: null, targetEntityId: null, polarity: null };
}

function stance(id: string, userId: string, start: number, end: number, polarity = "FAVOR", holderEntityId = "e-hollande", targetEntityId = "e-putin"): AnnotationJson {
  return { ...base, id, layer: "user", userId, kind: "stance", start, end, entityType: null, entityId: null, holderEntityId, targetEntityId, polarity };
}

function gold(from: AnnotationJson, id: string, derivedFromIds: string[]): GoldAnnotationJson {
  return { ...from, id, layer: "gold", userId: null, derivedFromIds };
}

const both = ["ana", "ben"];

function summary(groups: ReturnType<typeof diffAnnotations>) {
  return groups.map((group) => ({
    members: Object.fromEntries(Object.entries(group.members).map(([userId, member]) => [userId, member?.id ?? null])),
    status: group.status,
    differences: group.differences,
  }));
}

describe("classification", () => {
  test("the same span and labels from every annotator: agreed", () => {
    const groups = diffAnnotations({ annotations: [mention("a1", "ana", 0, 14), mention("b1", "ben", 0, 14)], annotatorIds: both, gold: [] });
    expect(groups).toEqual([
      {
        key: comparisonGroupKey("entity", ["a1", "b1"]),
        kind: "entity",
        start: 0,
        end: 14,
        members: { ana: expect.objectContaining({ id: "a1" }), ben: expect.objectContaining({ id: "b1" }) },
        status: "agreed",
        differences: [],
        gold: null,
        rejected: false,
        settled: false,
      },
    ]);
  });

  test("one annotator has nothing there: missing", () => {
    const groups = diffAnnotations({ annotations: [mention("a1", "ana", 0, 14)], annotatorIds: both, gold: [] });
    expect(summary(groups)).toEqual([{ members: { ana: "a1", ben: null }, status: "disagreed", differences: ["missing"] }]);
  });

  test("overlapping ranges with the same labels: boundary, and the group spans their union", () => {
    const groups = diffAnnotations({ annotations: [mention("a1", "ana", 0, 14), mention("b1", "ben", 9, 20)], annotatorIds: both, gold: [] });
    expect(summary(groups)).toEqual([{ members: { ana: "a1", ben: "b1" }, status: "disagreed", differences: ["boundary"] }]);
    expect([groups[0]!.start, groups[0]!.end]).toEqual([0, 20]);
  });

  test("another entity type: type; another entity: entity; both at once: both", () => {
    const typeOnly = diffAnnotations({ annotations: [mention("a1", "ana", 0, 6, "PER"), mention("b1", "ben", 0, 6, "ORG")], annotatorIds: both, gold: [] });
    expect(typeOnly[0]!.differences).toEqual(["type"]);
    const entityOnly = diffAnnotations({ annotations: [mention("a1", "ana", 0, 6, "PER", "e-putin"), mention("b1", "ben", 0, 6, "PER", "e-hollande")], annotatorIds: both, gold: [] });
    expect(entityOnly[0]!.differences).toEqual(["entity"]);
    const all = diffAnnotations({ annotations: [mention("a1", "ana", 0, 6, "LOC", "e-moscow"), mention("b1", "ben", 2, 6, "PER", "e-putin")], annotatorIds: both, gold: [] });
    expect(all[0]!.differences).toEqual(["boundary", "type", "entity"]);
  });

  test("stances: polarity, holder_target, agreed", () => {
    const polarity = diffAnnotations({ annotations: [stance("a1", "ana", 0, 30, "FAVOR"), stance("b1", "ben", 0, 30, "AGAINST")], annotatorIds: both, gold: [] });
    expect(summary(polarity)).toEqual([{ members: { ana: "a1", ben: "b1" }, status: "disagreed", differences: ["polarity"] }]);
    const holderTarget = diffAnnotations({
      annotations: [stance("a1", "ana", 0, 30, "FAVOR", "e-hollande", "e-putin"), stance("b1", "ben", 0, 30, "FAVOR", "e-putin", "e-hollande")],
      annotatorIds: both,
      gold: [],
    });
    expect(holderTarget[0]!.differences).toEqual(["holder_target"]);
    const agreed = diffAnnotations({ annotations: [stance("a1", "ana", 0, 30), stance("b1", "ben", 0, 30)], annotatorIds: both, gold: [] });
    expect(agreed[0]!.status).toBe("agreed");
  });

  test("stances with the same holder and target group together even when their evidence does not overlap", () => {
    const groups = diffAnnotations({ annotations: [stance("a1", "ana", 0, 30), stance("b1", "ben", 40, 70)], annotatorIds: both, gold: [] });
    expect(summary(groups)).toEqual([{ members: { ana: "a1", ben: "b1" }, status: "disagreed", differences: ["boundary"] }]);
  });

  test("mentions and stances are never in one group, even on the same range", () => {
    const groups = diffAnnotations({ annotations: [mention("a1", "ana", 0, 30), stance("b1", "ben", 0, 30)], annotatorIds: both, gold: [] });
    expect(summary(groups)).toEqual([
      { members: { ana: "a1", ben: null }, status: "disagreed", differences: ["missing"] },
      { members: { ana: null, ben: "b1" }, status: "disagreed", differences: ["missing"] },
    ]);
    expect(groups.map((group) => group.kind)).toEqual(["entity", "stance"]);
  });
});

describe("alignment", () => {
  test("nested spans: outer with outer, inner with inner (exact ranges first)", () => {
    // "University of Paris" [0, 19) ORG with "Paris" [14, 19) LOC inside, tagged by both.
    const annotations = [
      mention("a-outer", "ana", 0, 19, "ORG", "e-uni"),
      mention("a-inner", "ana", 14, 19, "LOC", "e-paris"),
      mention("b-inner", "ben", 14, 19, "LOC", "e-paris"),
      mention("b-outer", "ben", 0, 19, "ORG", "e-uni"),
    ];
    expect(summary(diffAnnotations({ annotations, annotatorIds: both, gold: [] }))).toEqual([
      { members: { ana: "a-outer", ben: "b-outer" }, status: "agreed", differences: [] },
      { members: { ana: "a-inner", ben: "b-inner" }, status: "agreed", differences: [] },
    ]);
  });

  test("nested spans one annotator left out: the inner agrees, the outer is missing", () => {
    const annotations = [mention("a-outer", "ana", 0, 19, "ORG", "e-uni"), mention("a-inner", "ana", 14, 19, "LOC", "e-paris"), mention("b-inner", "ben", 14, 19, "LOC", "e-paris")];
    expect(summary(diffAnnotations({ annotations, annotatorIds: both, gold: [] }))).toEqual([
      { members: { ana: "a-outer", ben: null }, status: "disagreed", differences: ["missing"] },
      { members: { ana: "a-inner", ben: "b-inner" }, status: "agreed", differences: [] },
    ]);
  });

  test("an exact range beats a larger overlap; then the largest overlap wins", () => {
    const exact = diffAnnotations({ annotations: [mention("a1", "ana", 0, 10), mention("b1", "ben", 0, 10), mention("b2", "ben", 0, 12)], annotatorIds: both, gold: [] });
    expect(summary(exact).map((group) => group.members)).toEqual([{ ana: "a1", ben: "b1" }, { ana: null, ben: "b2" }]);
    const largest = diffAnnotations({ annotations: [mention("a1", "ana", 0, 10), mention("b1", "ben", 8, 20), mention("b2", "ben", 2, 10)], annotatorIds: both, gold: [] });
    expect(summary(largest).map((group) => group.members)).toEqual([{ ana: "a1", ben: "b2" }, { ana: null, ben: "b1" }]);
  });

  test("one annotation per annotator per group, and every member overlaps every other", () => {
    // ben's and cai's halves do not overlap each other, so only one of them joins ana's span.
    const annotations = [mention("a1", "ana", 0, 10), mention("b1", "ben", 0, 5), mention("c1", "cai", 5, 10)];
    const groups = diffAnnotations({ annotations, annotatorIds: ["ana", "ben", "cai"], gold: [] });
    expect(summary(groups)).toEqual([
      { members: { ana: "a1", ben: "b1", cai: null }, status: "disagreed", differences: ["missing", "boundary"] },
      { members: { ana: null, ben: null, cai: "c1" }, status: "disagreed", differences: ["missing"] },
    ]);
  });

  test("three annotators agreeing make one agreed group", () => {
    const annotations = [mention("a1", "ana", 3, 9), mention("b1", "ben", 3, 9), mention("c1", "cai", 3, 9)];
    expect(summary(diffAnnotations({ annotations, annotatorIds: ["ana", "ben", "cai"], gold: [] }))).toEqual([
      { members: { ana: "a1", ben: "b1", cai: "c1" }, status: "agreed", differences: [] },
    ]);
  });

  test("groups are sorted by start then end; keys do not depend on input order", () => {
    const annotations = [mention("a3", "ana", 20, 30), mention("a1", "ana", 0, 10), mention("b2", "ben", 0, 5), mention("a2", "ana", 0, 4), stance("b9", "ben", 2, 40)];
    const groups = diffAnnotations({ annotations, annotatorIds: both, gold: [] });
    // b2 overlaps a1 by 5 and a2 by 4: it joins a1.
    expect(groups.map((group) => [group.start, group.end])).toEqual([
      [0, 4],
      [0, 10],
      [2, 40],
      [20, 30],
    ]);
    const reversed = diffAnnotations({ annotations: [...annotations].reverse(), annotatorIds: both, gold: [] });
    expect(reversed.map((group) => group.key)).toEqual(groups.map((group) => group.key));
    expect(new Set(groups.map((group) => group.key)).size).toBe(groups.length);
  });

  test("participants: a FINISHED annotator with no annotations is missing everywhere; annotators not listed are added", () => {
    const groups = diffAnnotations({ annotations: [mention("a1", "ana", 0, 4), mention("b1", "ben", 0, 4)], annotatorIds: ["cai", "ana"], gold: [] });
    expect(summary(groups)).toEqual([{ members: { cai: null, ana: "a1", ben: "b1" }, status: "disagreed", differences: ["missing"] }]);
  });

  test("a single participant agrees with themself", () => {
    expect(diffAnnotations({ annotations: [mention("a1", "ana", 0, 4)], annotatorIds: ["ana"], gold: [] })[0]!.status).toBe("agreed");
  });

  test("deleted annotations and gold items among the annotations are left out", () => {
    const deleted = { ...mention("b1", "ben", 0, 4), deletedAt: "2026-11-30T11:00:00.000Z" };
    const goldItem = gold(mention("a1", "ana", 0, 4), "g1", []);
    const groups = diffAnnotations({ annotations: [mention("a1", "ana", 0, 4), deleted, goldItem], annotatorIds: both, gold: [] });
    expect(summary(groups)).toEqual([{ members: { ana: "a1", ben: null }, status: "disagreed", differences: ["missing"] }]);
  });
});

describe("gold and settling", () => {
  const annotations = [mention("a1", "ana", 0, 10, "PER"), mention("b1", "ben", 0, 10, "ORG"), mention("a2", "ana", 20, 30), mention("b2", "ben", 20, 30)];

  test("a gold item derived from a member settles the group, whatever its labels now", () => {
    const item = { ...gold(mention("x", "ana", 0, 10, "LOC"), "g1", ["b1"]) };
    const groups = diffAnnotations({ annotations, annotatorIds: both, gold: [item] });
    expect(groups[0]).toMatchObject({ gold: { id: "g1" }, settled: true, status: "disagreed" });
    expect(groups[1]).toMatchObject({ gold: null, settled: false, status: "agreed" });
  });

  test("a gold item with a member's span and labels settles it too; one on another span does not", () => {
    const same = gold(mention("x", "ana", 20, 30), "g2", []);
    const elsewhere = gold(mention("x", "ana", 20, 31), "g3", []);
    const groups = diffAnnotations({ annotations, annotatorIds: both, gold: [elsewhere, same] });
    expect(groups.map((group) => group.gold?.id ?? null)).toEqual([null, "g2"]);
  });

  test("a rejected group is settled without gold; deleted gold settles nothing", () => {
    const key = comparisonGroupKey("entity", ["b1", "a1"]);
    const deletedGold = { ...gold(annotations[2]!, "g4", ["a2"]), deletedAt: "2026-11-30T11:00:00.000Z" };
    const groups = diffAnnotations({ annotations, annotatorIds: both, gold: [deletedGold], rejectedGroupKeys: [key] });
    expect(groups.map((group) => [group.key === key, group.rejected, group.settled])).toEqual([
      [true, true, true],
      [false, false, false],
    ]);
  });
});

describe("invariants (property tests)", () => {
  const annotators = ["ana", "ben", "cai"];
  const arbitraryAnnotations = fc
    .array(
      fc.record({
        userId: fc.constantFrom(...annotators),
        isStance: fc.boolean(),
        start: fc.nat(60),
        length: fc.integer({ min: 1, max: 15 }),
        label: fc.constantFrom("PER", "ORG"),
        entity: fc.constantFrom("e-putin", "e-hollande"),
        polarity: fc.constantFrom("FAVOR", "AGAINST"),
      }),
      { maxLength: 25 },
    )
    .map((drafts) =>
      drafts.map((draft, index) =>
        draft.isStance
          ? stance(`x${index}`, draft.userId, draft.start, draft.start + draft.length, draft.polarity, draft.entity, "e-moscow")
          : mention(`x${index}`, draft.userId, draft.start, draft.start + draft.length, draft.label, draft.entity),
      ),
    );

  test("every annotation is in exactly one group, at most one per annotator, and the group spans its members", () => {
    fc.assert(
      fc.property(arbitraryAnnotations, (annotations) => {
        const groups = diffAnnotations({ annotations, annotatorIds: annotators, gold: [] });
        const memberIds = groups.flatMap((group) => Object.values(group.members).flatMap((member) => (member ? [member.id] : [])));
        expect([...memberIds].sort()).toEqual(annotations.map((annotation) => annotation.id).sort());
        for (const group of groups) {
          const members = Object.entries(group.members).flatMap(([userId, member]) => (member ? [[userId, member] as const] : []));
          expect(Object.keys(group.members)).toEqual(annotators);
          for (const [userId, member] of members) expect(member.userId).toBe(userId);
          expect(members.every(([, member]) => member.kind === group.kind)).toBe(true);
          expect(group.start).toBe(Math.min(...members.map(([, member]) => member.start)));
          expect(group.end).toBe(Math.max(...members.map(([, member]) => member.end)));
          const withoutOwner = (member: AnnotationJson) => JSON.stringify({ ...member, id: "", userId: "" });
          const isAgreed = members.length === annotators.length && members.every(([, member]) => withoutOwner(member) === withoutOwner(members[0]![1]));
          expect(group.status === "agreed").toBe(isAgreed);
          expect(group.differences.length === 0).toBe(isAgreed);
          expect(group.key).toBe(comparisonGroupKey(group.kind, members.map(([, member]) => member.id)));
        }
      }),
    );
  });

  test("the groups do not depend on the order of the input", () => {
    fc.assert(
      fc.property(
        arbitraryAnnotations.chain((annotations) => fc.tuple(fc.constant(annotations), fc.shuffledSubarray(annotations, { minLength: annotations.length }))),
        ([annotations, shuffled]) => {
          expect(diffAnnotations({ annotations: shuffled, annotatorIds: annotators, gold: [] })).toEqual(diffAnnotations({ annotations, annotatorIds: annotators, gold: [] }));
        },
      ),
    );
  });
});
