import { expect, test } from "vitest";
import { findNameOccurrences } from "./name-occurrences";

const text = "Vladimir Putin met Hollande. Putin said Putinism is not a word. Later, PUTIN and Putin again.";
const entity = { id: "e1", name: "Vladimir Putin", type: "PER", aliases: ["Putin"] };

test("offers untagged whole-word occurrences of the name and aliases, longest name first", () => {
  const tagged = [{ start: 0, end: 14 }];
  const spans = findNameOccurrences(text, entity, tagged);
  expect(spans.map((span) => [text.slice(span.start, span.end), span.start])).toEqual([
    ["Putin", text.indexOf("Putin said")],
    ["Putin", text.lastIndexOf("Putin")],
  ]);
});

test("an untagged full name wins over its alias inside it", () => {
  const spans = findNameOccurrences(text, entity, []);
  expect(text.slice(spans[0]!.start, spans[0]!.end)).toBe("Vladimir Putin");
  expect(spans.filter((span) => span.start < 14)).toHaveLength(1);
});

test("finds an alias such as Daesh for Islamic State", () => {
  const news = "Islamic State fighters retreated. Daesh, as Paris calls IS, lost ground; ISIS denied it.";
  const spans = findNameOccurrences(news, { name: "Islamic State", aliases: ["Daesh", "IS", "ISIS"] }, [{ start: 0, end: 13 }]);
  expect(spans.map((span) => span.quote)).toEqual(["Daesh", "IS", "ISIS"]);
});
