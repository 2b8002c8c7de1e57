import "server-only";

/** A new project's entity types (CoNLL-2003) with distinguishable, colour-blind-safe colours (Okabe–Ito). */
export const defaultEntityTypes = [
  { name: "PER", color: "#0072B2" },
  { name: "ORG", color: "#D55E00" },
  { name: "LOC", color: "#009E73" },
  { name: "MISC", color: "#CC79A7" },
] as const;

/** A new project's stance polarities (SemEval-2016 Task 6; NONE is the absence of a stance). */
export const defaultPolarities = ["FAVOR", "AGAINST", "NEUTRAL"] as const;

export function defaultTagSetData() {
  return {
    entityTypes: { create: defaultEntityTypes.map((type, position) => ({ ...type, position })) },
    polarities: { create: defaultPolarities.map((name, position) => ({ name, position })) },
  };
}
