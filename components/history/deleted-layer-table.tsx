import Link from "next/link";
import type { AnnotationJson } from "@/lib/server/annotations/serialize";
import { formatTime } from "./format-time";
import { RestoreAnnotationButton } from "./restore-buttons";

export interface DeletedRow {
  annotation: Pick<AnnotationJson, "id" | "start" | "end" | "quote" | "version" | "deletedAt">;
  /** "PER mention of …" or "stance: …". */
  label: string;
}

/** One annotator's deleted annotations, each with its history link and a restore button. */
export function DeletedLayerTable({ rows, layerName }: { rows: DeletedRow[]; layerName: string }) {
  return (
    <table>
      <caption className="visually-hidden">Deleted annotations of {layerName}, most recently deleted first</caption>
      <thead>
        <tr>
          <th scope="col">Text</th>
          <th scope="col">Annotation</th>
          <th scope="col">Deleted</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ annotation, label }) => {
          const description = `“${annotation.quote}” [${annotation.start}, ${annotation.end}) (${label})`;
          return (
            <tr key={annotation.id}>
              <td>
                “{annotation.quote.length > 60 ? `${annotation.quote.slice(0, 60)}…` : annotation.quote}”{" "}
                <span className="muted small">
                  [{annotation.start}, {annotation.end})
                </span>
              </td>
              <td>{label}</td>
              <td>{annotation.deletedAt && <time dateTime={annotation.deletedAt}>{formatTime(annotation.deletedAt)}</time>}</td>
              <td>
                <span className="row">
                  <RestoreAnnotationButton annotationId={annotation.id} version={annotation.version} description={description} />
                  <Link href={`/annotations/${annotation.id}/history`}>
                    History<span className="visually-hidden"> of {description}</span>
                  </Link>
                </span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
