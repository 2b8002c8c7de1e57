import type { ReactNode } from "react";

/*
 * Renders lib/agreement/DEFINITIONS.md as readable text: the small part of Markdown it uses (## headings,
 * paragraphs, "- " lists, **bold** and `code`). Anything else shows as plain text, so an edit to the file can make
 * it plainer here but never hides it.
 */

function inline(text: string): ReactNode[] {
  return text.split(/(\*\*[^*]+\*\*|`[^`]+`)/g).map((part, index) => {
    if (part.startsWith("**") && part.endsWith("**") && part.length > 4) return <strong key={index}>{part.slice(2, -2)}</strong>;
    if (part.startsWith("`") && part.endsWith("`") && part.length > 2) return <code key={index}>{part.slice(1, -1)}</code>;
    return part;
  });
}

type Block = { kind: "heading" | "paragraph"; text: string } | { kind: "list"; items: string[] };

function parse(markdown: string): Block[] {
  const blocks: Block[] = [];
  for (const chunk of markdown.replace(/\r\n?/g, "\n").split(/\n\s*\n/)) {
    const lines = chunk.split("\n").filter((line) => line.trim() !== "");
    if (lines.length === 0) continue;
    const heading = /^#{1,6}\s+(.*)$/.exec(lines[0]!);
    if (heading) {
      blocks.push({ kind: "heading", text: heading[1]! });
      if (lines.length > 1) blocks.push({ kind: "paragraph", text: lines.slice(1).join(" ") });
      continue;
    }
    if (/^\s*[-*]\s+/.test(lines[0]!)) {
      // An item runs on over its indented continuation lines.
      const items: string[] = [];
      for (const line of lines) {
        const item = /^\s*[-*]\s+(.*)$/.exec(line);
        if (item) items.push(item[1]!);
        else if (items.length) items[items.length - 1] += ` ${line.trim()}`;
      }
      blocks.push({ kind: "list", items });
      continue;
    }
    // A paragraph that ends in a list (a lead-in line, then "- " items).
    const firstItem = lines.findIndex((line) => /^\s*[-*]\s+/.test(line));
    if (firstItem > 0) {
      blocks.push({ kind: "paragraph", text: lines.slice(0, firstItem).join(" ") });
      blocks.push(...parse(lines.slice(firstItem).join("\n")));
      continue;
    }
    blocks.push({ kind: "paragraph", text: lines.map((line) => line.trim()).join(" ") });
  }
  return blocks;
}

export function AgreementDefinitions({ markdown }: { markdown: string }) {
  return (
    <div className="agreement-definitions">
      {parse(markdown).map((block, index) => {
        if (block.kind === "heading") return <h3 key={index}>{inline(block.text)}</h3>;
        if (block.kind === "list")
          return (
            <ul key={index}>
              {block.items.map((item, i) => (
                <li key={i}>{inline(item)}</li>
              ))}
            </ul>
          );
        return <p key={index}>{inline(block.text)}</p>;
      })}
    </div>
  );
}
