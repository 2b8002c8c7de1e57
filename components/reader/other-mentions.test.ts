import { expect, test } from "vitest";
import { findOtherMentions } from "./other-mentions";
import type { ClientAnnotation } from "./types";

const text = "Vladimir Putin met Hollande. Putin said Putinism is not a word. Later, PUTIN and Putin again.";
const entity = { id: "e1", name: "Vladimir Putin", type: "PER", aliases: ["Putin"] };

test("offers untagged whole-word occurrences of the name and aliases, longest name first", () => {
  const tagged = [{ kind: "entity", start: 0, end: 14 }] as ClientAnnotation[];
  const spans = findOtherMentions(text, entity, tagged);
  expect(spans.map((span) => [text.slice(span.start, span.end), span.start])).toEqual([
    ["Putin", text.indexOf("Putin said")],
    ["Putin", text.lastIndexOf("Putin")],
  ]);
});

test("an untagged full name wins over its alias inside it", () => {
  const spans = findOtherMentions(text, entity, []);
  expect(text.slice(spans[0]!.start, spans[0]!.end)).toBe("Vladimir Putin");
  expect(spans.filter((span) => span.start < 14)).toHaveLength(1);
});
