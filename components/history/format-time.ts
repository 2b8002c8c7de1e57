const format = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

/** An ISO time as people read it, in UTC (server-rendered pages cannot know the reader's time zone). */
export function formatTime(iso: string): string {
  return `${format.format(new Date(iso))} UTC`;
}
