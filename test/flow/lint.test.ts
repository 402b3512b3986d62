import fs from 'node:fs';
import path from 'node:path';
import { LINT_RULES, lintFlow } from '../../src/flow/lint';
import { corpusFlows } from '../helpers/corpus';

/**
 * `open-studio flows lint`'s rules, from fixtures: test/fixtures/lint/<code, ":" as "-">/ holds
 * flows named `triggers-*.json` (the code's findings are exactly the property paths in the
 * sibling `.expected.json`) and `passes-*.json` (no finding of that code). Every fixture is a
 * valid flow: a finding never rides on a validation error.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/lint');
const folders = fs.readdirSync(FIXTURES).filter((f) => fs.statSync(path.join(FIXTURES, f)).isDirectory()).sort();
const readJson = (...parts: string[]): unknown => JSON.parse(fs.readFileSync(path.join(FIXTURES, ...parts), 'utf8'));

describe.each(folders)('%s', (folder) => {
  const code = folder.replace('-', ':');
  const flows = fs.readdirSync(path.join(FIXTURES, folder)).filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json')).sort();

  it('has a flow that triggers it and one that passes', () => {
    expect(flows.some((f) => f.startsWith('triggers-'))).toBe(true);
    expect(flows.some((f) => f.startsWith('passes-'))).toBe(true);
    expect(flows.every((f) => /^(triggers|passes)-/.test(f))).toBe(true);
  });

  it.each(flows)('%s', (file) => {
    const { errors, warnings } = lintFlow(readJson(folder, file));
    expect(errors).toEqual([]);
    const found = warnings.filter((w) => w.code === code).map((w) => w.property_path);
    if (file.startsWith('passes-')) return expect(found).toEqual([]);
    expect(found.length).toBeGreaterThan(0);
    expect(found).toEqual(readJson(folder, file.replace(/\.json$/, '.expected.json')));
  });
});

describe('the rules', () => {
  it('are registered once each, with fixtures', () => {
    const ids = LINT_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.map((id) => `lint-${id}`).filter((f) => !folders.includes(f))).toEqual([]);
  });

  it('name both split branches and why', () => {
    const { warnings } = lintFlow(readJson('lint-split-unreachable-condition', 'triggers-equal-after-list.json'));
    expect(warnings.find((w) => w.code === 'lint:split-unreachable-condition')?.message).toBe(
      'branch "just Y" of "split" can never be taken: the earlier branch "yes words" already matches every input it matches (equal_to "Y" implies matches_any_of "yes, y, yeah," on {{trigger.message.Body}})',
    );
  });

  it('suggest the widget a name differs from only in case', () => {
    const { warnings } = lintFlow(readJson('lint-unknown-widget', 'triggers-no-such-widget.json'));
    expect(warnings.filter((w) => w.code === 'lint:unknown-widget').map((w) => w.message)).toEqual([
      'reads widgets.Lookup, but no widget is named "Lookup" (did you mean "lookup"?)',
      'reads widgets.fetch, but no widget is named "fetch"',
    ]);
  });
});

/**
 * Over the real Studio exports, every finding of these rules was checked by hand and is true
 * (a copy-pasted widget reading the original's reply, a branch named "equal_to1" testing
 * not_equal_to, widgets renamed away). The list is pinned: a new finding is a false positive
 * until someone checks it.
 */
const CORPUS_FINDINGS = [
  '004-apaleo-hotel-bot lint:variables-never-read #/states/1/properties/variables/0/key',
  '008-aselo-khp-post-call-survey lint:split-unreachable-condition #/states/11/transitions/2',
  '009-aselo-new-mexico-sms lint:unknown-widget #/states/52/transitions/1/conditions/0/arguments/0',
  '009-aselo-new-mexico-sms lint:unknown-widget #/states/52/transitions/2/conditions/0/arguments/0',
  '015-ca-regulatory-voice-flow lint:widget-not-before #/states/18/properties/parameters/1/value',
  '024-flex-dynamics365-ivr lint:unknown-widget #/states/2/properties/parameters/1/value',
  '054-per-agent-voicemail-ivr lint:unknown-widget #/states/1/properties/attributes',
  '061-simple-sms-survey lint:widget-not-before #/states/20/properties/parameters/3/value',
  '062-sms-appointment-reminders-eppo lint:unknown-widget #/states/7/properties/input',
  '062-sms-appointment-reminders-eppo lint:unknown-widget #/states/7/transitions/1/conditions/0/arguments/0',
  '062-sms-appointment-reminders-eppo lint:unknown-widget #/states/7/transitions/2/conditions/0/arguments/0',
  '066-taxi-booking-ivr-with-payment lint:split-unreachable-condition #/states/11/transitions/2',
  '069-triforsys-support-bot lint:unknown-widget #/states/37/properties/input',
  ...[1, 2, 3, 4, 5].map((t) => `069-triforsys-support-bot lint:unknown-widget #/states/37/transitions/${t}/conditions/0/arguments/0`),
  '069-triforsys-support-bot lint:unknown-widget #/states/38/properties/input',
  ...[1, 2].map((t) => `069-triforsys-support-bot lint:unknown-widget #/states/38/transitions/${t}/conditions/0/arguments/0`),
  '072-volunteer-center-voice-to-flex lint:widget-not-before #/states/7/properties/input',
  '072-volunteer-center-voice-to-flex lint:widget-not-before #/states/7/transitions/1/conditions/0/arguments/0',
  '075-waxal-speech-data-collection lint:variables-never-read #/states/6/properties/variables/2/key',
  '076-webchat-conversations lint:unknown-widget #/states/1/properties/attributes',
];

describe('the Studio corpus', () => {
  it('lints every export, finding only what was checked by hand', () => {
    const counts: Record<string, number> = {};
    const findings: string[] = [];
    for (const flow of corpusFlows()) {
      for (const issue of lintFlow(flow.definition).warnings) {
        counts[issue.code] = (counts[issue.code] ?? 0) + 1;
        if (issue.code.startsWith('lint:')) findings.push(`${flow.name} ${issue.code} ${issue.property_path}`);
      }
    }
    console.log(`lintFlow over the Studio corpus, warnings by code: ${JSON.stringify(counts, null, 2)}`);
    expect(findings).toEqual(CORPUS_FINDINGS);
  });
});
