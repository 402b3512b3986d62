import { XMLBuilder } from 'fast-xml-parser';
import type { TranscriptItem } from './capture';
import { describeOutbound } from './expect';
import type { RunReport } from './suite-run';
import type { TestOutcome } from './runner';

/** One test's line (and, when it failed, where and how). */
export function formatOutcome(outcome: TestOutcome): string {
  const head = `  ${outcome.passed ? '✓' : '✗'} ${outcome.name}  (${outcome.durationMs} ms)  ${outcome.path.join(' → ') || '(no execution)'}`;
  const failure = outcome.failure;
  if (!failure) return head;
  const where = failure.step < 0 ? 'the trigger' : `step ${failure.step + 1}`;
  const lines = [head, `      at ${where}: ${failure.description}`, `      ${failure.message}`];
  if (failure.expected !== undefined) lines.push(`        expected: ${indentMore(failure.expected)}`);
  if (failure.actual !== undefined) lines.push(`        actual:   ${indentMore(failure.actual)}`);
  if (outcome.transcript.length > 0) {
    lines.push('      conversation so far:');
    for (const item of outcome.transcript) lines.push(`        ${describeItem(item)}`);
  }
  return lines.join('\n');
}

function indentMore(text: string): string {
  return text.split('\n').join('\n                  ');
}

/** `→` is the contact (or Twilio) acting, `←` the flow. */
export function describeItem(item: TranscriptItem): string {
  if (item.kind === 'contact') return `→ ${item.text}`;
  if (item.kind === 'twilio') return `← ${item.what}`;
  return `← ${describeOutbound(item)}`;
}

/** The whole report after the run: files that could not run, coverage, totals. */
export function formatSummary(report: RunReport): string {
  const lines: string[] = [];
  for (const error of report.errors) {
    lines.push(`✗ ${error.file} could not run:`);
    for (const p of error.problems) lines.push(`    ${p.file}:${p.line}: ${p.key ? `${p.key}: ` : ''}${p.message}`);
  }
  if (report.coverage.length > 0) {
    lines.push('', 'Coverage (widgets, transitions):');
    for (const c of report.coverage) {
      lines.push(`  ${c.flow}  widgets ${c.widgets.covered}/${c.widgets.total} (${c.widgets.percent} %)  transitions ${c.transitions.covered}/${c.transitions.total} (${c.transitions.percent} %)`);
      if (c.transitions.missed.length > 0) lines.push(`      not taken: ${c.transitions.missed.map((t) => `${t.from} —${t.event}→ ${t.to}`).join(', ')}`);
    }
  }
  const s = report.summary;
  lines.push('', `Tests: ${s.passed} passed, ${s.failed} failed${s.errors ? `, ${s.errors} file${s.errors === 1 ? '' : 's'} with errors` : ''}, ${s.total} total (${(s.durationMs / 1000).toFixed(1)} s)`);
  return lines.join('\n');
}

/** The lowest coverage of any flow, in percent (widgets or transitions, whichever is lower). */
export function lowestCoverage(report: RunReport): { flow: string; percent: number } | undefined {
  let lowest: { flow: string; percent: number } | undefined;
  for (const c of report.coverage) {
    const percent = Math.min(c.widgets.percent, c.transitions.percent);
    if (!lowest || percent < lowest.percent) lowest = { flow: c.flow, percent };
  }
  return lowest;
}

/**
 * JUnit XML as CI systems read it (the Ant/Jenkins schema): a testsuite per file, a testcase per
 * test, `<failure>` with expected, actual and the conversation, `<error>` for a file that could not run.
 */
export function junitXml(report: RunReport, timestamp = new Date()): string {
  const files = new Map<string, TestOutcome[]>();
  for (const t of report.tests) files.set(t.file, [...(files.get(t.file) ?? []), t]);
  const stamp = timestamp.toISOString().slice(0, 19);
  let id = 0;
  const suites = [...files].map(([file, tests]) => ({
    testsuite: tests.map((t) => ({
      testcase: t.failure ? [{ failure: [{ '#text': failureText(t) }], ':@': { '@_message': t.failure.message, '@_type': 'FlowTestFailure' } }] : [],
      ':@': { '@_name': t.name, '@_classname': classname(file), '@_time': seconds(t.durationMs) },
    })),
    ':@': suiteAttributes(id++, file, stamp, tests.length, tests.filter((t) => !t.passed).length, 0, tests.reduce((n, t) => n + t.durationMs, 0)),
  }));
  const broken = report.errors.map((e) => ({
    testsuite: [
      {
        testcase: [{ error: [{ '#text': e.problems.map((p) => `${p.file}:${p.line}: ${p.key ? `${p.key}: ` : ''}${p.message}`).join('\n') }], ':@': { '@_message': 'the test file could not run', '@_type': 'FlowTestFileError' } }],
        ':@': { '@_name': 'the test file', '@_classname': classname(e.file), '@_time': '0' },
      },
    ],
    ':@': suiteAttributes(id++, e.file, stamp, 1, 0, 1, 0),
  }));
  const s = report.summary;
  const document = [
    { '?xml': [{ '#text': '' }], ':@': { '@_version': '1.0', '@_encoding': 'UTF-8' } },
    {
      testsuites: [...suites, ...broken],
      ':@': { '@_name': 'open-studio flow tests', '@_tests': String(s.total + s.errors), '@_failures': String(s.failed), '@_errors': String(s.errors), '@_time': seconds(s.durationMs) },
    },
  ];
  const builder = new XMLBuilder({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true });
  return `${builder.build(document)}`;
}

function suiteAttributes(id: number, file: string, stamp: string, tests: number, failures: number, errors: number, ms: number) {
  return {
    '@_name': file,
    '@_package': 'flowtests',
    '@_id': String(id),
    '@_hostname': 'localhost',
    '@_timestamp': stamp,
    '@_tests': String(tests),
    '@_failures': String(failures),
    '@_errors': String(errors),
    '@_skipped': '0',
    '@_time': seconds(ms),
  };
}

function failureText(t: TestOutcome): string {
  return formatOutcome(t)
    .split('\n')
    .slice(1)
    .map((l) => l.replace(/^ {6}/, ''))
    .join('\n');
}

function classname(file: string): string {
  return file.replace(/\.flowtest\.yaml$/, '').replace(/[\\/]/g, '.');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
