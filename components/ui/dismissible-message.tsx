"use client";

export interface Message {
  tone: "error" | "info";
  text: string;
}

/** An outcome to show: errors as an alert, the rest as a status, each with a Dismiss button. */
export function DismissibleMessage({ message, onDismiss }: { message: Message | null; onDismiss: () => void }) {
  if (!message) return null;
  return (
    <p role={message.tone === "error" ? "alert" : "status"} className={message.tone === "error" ? "alert" : "notice"}>
      {message.text}{" "}
      <button type="button" className="link" onClick={onDismiss}>
        Dismiss
      </button>
    </p>
  );
}
