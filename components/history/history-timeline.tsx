import type { HistoryEvent } from "@/lib/server/history/get-annotation-history";
import { formatTime } from "./format-time";

/** The events of one annotation, oldest first: who, when, what, and each changed field as before → after. */
export function HistoryTimeline({ events, createdAt }: { events: HistoryEvent[]; createdAt: string }) {
  const startsWithCreate = events[0]?.action === "annotation.create";
  return (
    <ol className="stack" aria-label="Changes, oldest first">
      {!startsWithCreate && (
        <li className="card">
          <p>
            <strong>Created</strong> · <time dateTime={createdAt}>{formatTime(createdAt)}</time>
          </p>
          <p className="muted small">Made before its changes were recorded (for example the demo data): who made it and how it looked then is not known.</p>
        </li>
      )}
      {events.map((event) => (
        <li key={event.id} className="card">
          <p>
            <strong>{event.label}</strong> by{" "}
            {event.actor ? event.actor.name : "the system"} · <time dateTime={event.at}>{formatTime(event.at)}</time>
          </p>
          {event.changes.length > 0 && (
            <table>
              <caption className="visually-hidden">What changed</caption>
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Before</th>
                  <th scope="col">After</th>
                </tr>
              </thead>
              <tbody>
                {event.changes.map((change) => (
                  <tr key={change.field}>
                    <th scope="row">{change.label}</th>
                    <td>{change.before ?? <span className="muted">—</span>}</td>
                    <td>{change.after ?? <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </li>
      ))}
    </ol>
  );
}
