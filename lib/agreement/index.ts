export { cohenKappa, kappaFromCounts, NO_ITEMS, SAME_SINGLE_LABEL, type KappaResult } from "./cohen-kappa";
export {
  computeAgreement,
  FEWER_THAN_TWO,
  NO_ARTICLE_WITH_TWO,
  NO_MENTIONS_OF_TYPE,
  NO_SHARED_ARTICLE,
  TYPE_NOT_USED,
  type AgreementAnnotations,
  type AgreementArticle,
  type AgreementArticleFigures,
  type AgreementInput,
  type AgreementPair,
  type AgreementResult,
  type AgreementTypeFigures,
} from "./compute-agreement";
export { krippendorffAlphaNominal, nominalAlphaFromCoincidences, NominalAlphaAccumulator, NO_PAIRABLE_VALUES, ONE_CATEGORY, type AlphaResult } from "./krippendorff";
export { f1FromCounts, matchExact, matchOverlap, NO_MENTIONS, spanF1, type F1Counts, type F1Result, type Matching, type Mention } from "./span-f1";
export { matchStances, NO_STANCES, stanceF1, type StanceTuple } from "./stance-f1";
export { buildSyntheticAgreementInput, type SyntheticOptions } from "./synthetic";
export { coveringMentions, OUTSIDE, tokenLabels } from "./token-labels";
