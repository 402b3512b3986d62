/** An API date (ISO, UTC) in the reader's local time; an unreadable one as it came. */
export function formatDate(iso: string): string {
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : time.toLocaleString();
}
