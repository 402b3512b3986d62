import type { EditorContext } from '../editor/context';

// PLACEHOLDER: replaced by the real panel before commit.
export function SimulatorPanel({ ctx }: { ctx: EditorContext }) {
  return <p>{ctx.flow.friendly_name}</p>;
}
