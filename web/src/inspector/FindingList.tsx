import type { Finding } from './issues';

/** Validation findings shown beside what they are about. */
export function FindingList({ findings }: { findings: readonly Finding[] }) {
  if (findings.length === 0) return null;
  return (
    <ul className="insp-findings">
      {findings.map((f, i) => (
        <li key={i} className={f.severity} data-code={f.issue.code}>
          {f.issue.message}
        </li>
      ))}
    </ul>
  );
}
