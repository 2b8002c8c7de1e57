import { describe, expect, test } from "vitest";
import { tokenize } from "../text/tokenize";
import { tokenLabels } from "./token-labels";

const text = "French President Francois Hollande met Vladimir Putin in Paris.";
const at = (quote: string, label: string) => ({ start: text.indexOf(quote), end: text.indexOf(quote) + quote.length, label });
const labels = (mentions: Array<{ start: number; end: number; label: string }>) => tokenLabels(tokenize(text), mentions);

describe("tokenLabels", () => {
  test("the covering mention's label, O elsewhere", () => {
    expect(labels([at("Francois Hollande", "PER"), at("Paris", "LOC")])).toEqual(["O", "O", "PER", "PER", "O", "O", "O", "O", "LOC", "O"]);
  });

  test("a mention covering part of a token labels the whole token", () => {
    expect(labels([at("ladimir Pu", "PER")])).toEqual(["O", "O", "O", "O", "O", "PER", "PER", "O", "O", "O"]);
  });

  test("nested mentions: the longest wins", () => {
    expect(labels([at("Hollande", "PER"), at("French President Francois Hollande", "MISC")]).slice(0, 5)).toEqual(["MISC", "MISC", "MISC", "MISC", "O"]);
  });

  test("overlapping mentions of equal length: the earliest start wins, then the label name", () => {
    expect(labels([at("in Paris", "LOC"), at("Putin in", "PER")]).slice(6, 9)).toEqual(["PER", "PER", "LOC"]);
    expect(labels([at("Paris", "LOC"), at("Paris", "GPE")])[8]).toBe("GPE");
  });

  test("no tokens, no labels; no mentions, all O", () => {
    expect(tokenLabels([], [at("Paris", "LOC")])).toEqual([]);
    expect(labels([])).toEqual(new Array(10).fill("O"));
  });
});
