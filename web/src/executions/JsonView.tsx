/** A context as formatted JSON, folded away under its title when not wanted. */
export function JsonView({ title, value, open = true }: { title: string; value: unknown; open?: boolean }) {
  return (
    <details className="json-view" open={open}>
      <summary>{title}</summary>
      <pre>{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}
