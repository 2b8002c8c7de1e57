"use client";

import Document from "@tiptap/extension-document";
import Paragraph from "@tiptap/extension-paragraph";
import Text from "@tiptap/extension-text";
import { EditorContent, useEditor } from "@tiptap/react";
import { useMemo } from "react";
import { textToReaderDoc } from "@/lib/text/reader-doc";

/** The article's canonical text in a read-only Tiptap view: one paragraph per line, every character as stored. */
export function ArticleReader({ text, title }: { text: string; title: string }) {
  const content = useMemo(() => textToReaderDoc(text), [text]);
  const editor = useEditor({
    extensions: [Document, Paragraph, Text],
    content,
    editable: false,
    immediatelyRender: false,
    editorProps: { attributes: { "aria-label": `Text of ${title}`, role: "document", "data-testid": "article-text" } },
  });
  return (
    <article className="reader" aria-busy={!editor}>
      {editor ? <EditorContent editor={editor} /> : <p className="muted">Loading the text…</p>}
    </article>
  );
}
