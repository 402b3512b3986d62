import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlowDefinition } from '../../src/flow/definition';
import { WIDGET_SPECS } from '../../src/flow/widgets';
import { changeCondition, defaultBranchName, followInput, newBranch } from '../../web/src/inspector/branches';
import { fieldsFor, humanize, schemaFields, textOf, valueOf, withProperty, type Field } from '../../web/src/inspector/fields';
import { findingsOf, segmentsOf, widgetNameOf } from '../../web/src/inspector/issues';

/** The third-party Studio exports of the shared corpus, read in place. */
const FLOWS_DIR = join(__dirname, '../../../shared/studio-flows/flows');
const corpus: Array<{ file: string; definition: FlowDefinition }> = readdirSync(FLOWS_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, definition: JSON.parse(readFileSync(join(FLOWS_DIR, file), 'utf8')) as FlowDefinition }));

function field(type: string, key: string): Field {
  const found = schemaFields(type).find((f) => f.key === key);
  if (!found) throw new Error(`${type} has no field ${key}`);
  return found;
}

describe('inspector fields from the widget schemas', () => {
  it('gives every widget type but the Trigger fields, never offset, with unique labels', () => {
    for (const type of Object.keys(WIDGET_SPECS)) {
      const fields = schemaFields(type);
      if (type === 'trigger') expect(fields).toEqual([]);
      else expect(fields.length).toBeGreaterThan(0);
      expect(fields.map((f) => f.key)).not.toContain('offset');
      expect(new Set(fields.map((f) => f.label)).size).toBe(fields.length);
    }
  });

  it('picks the input each kind of property needs', () => {
    expect(field('send-message', 'body')).toMatchObject({ kind: 'multiline', label: 'Message Body' });
    expect(field('send-message', 'to')).toMatchObject({ kind: 'text', label: 'To' });
    expect(field('send-message', 'message_type')).toMatchObject({ kind: 'choice', choices: ['custom', 'content_template'] });
    expect(field('send-message', 'content_variables').kind).toBe('keyValue');
    expect(field('make-http-request', 'method')).toMatchObject({ kind: 'choice', choices: ['GET', 'POST'], required: true, label: 'Request Method' });
    expect(field('make-http-request', 'url')).toMatchObject({ kind: 'text', required: true, label: 'URL' });
    expect(field('make-http-request', 'content_type').choices).toContain('application/json');
    expect(field('make-http-request', 'body')).toMatchObject({ kind: 'multiline', label: 'Request Body' });
    expect(field('make-http-request', 'parameters').kind).toBe('keyValue');
    expect(field('make-http-request', 'add_twilio_auth').kind).toBe('boolean');
    expect(field('set-variables', 'variables').kind).toBe('keyValue');
    expect(field('gather-input-on-call', 'timeout').kind).toBe('integer');
    expect(field('gather-input-on-call', 'finish_on_key').label).toBe('Finish on Key');
    expect(field('gather-input-on-call', 'speech_timeout')).toMatchObject({ kind: 'integer', choices: ['auto'] });
    expect(field('capture-payments', 'payment_amount').kind).toBe('number');
    expect(field('capture-payments', 'valid_card_types').kind).toBe('json');
    expect(field('run-subflow', 'flow_revision')).toMatchObject({ kind: 'integer', required: true, choices: ['LatestPublished', 'LatestRevision'] });
    expect(field('send-to-flex', 'waitUrlMethod')).toMatchObject({ kind: 'choice', label: 'Wait URL Method' });
    expect(field('split-based-on', 'input').label).toBe('Variable to Test');
  });

  it('humanizes snake_case and camelCase keys', () => {
    expect(humanize('recording_status_callback_url')).toBe('Recording Status Callback URL');
    expect(humanize('sip_auth_username')).toBe('SIP Auth Username');
    expect(humanize('time_limit')).toBe('Time Limit');
  });

  it('covers every property of every widget in the Studio corpus, except offset', () => {
    expect(corpus.length).toBeGreaterThan(50);
    for (const { file, definition } of corpus) {
      for (const state of definition.states) {
        const keys = fieldsFor(state.type, state.properties).map((f) => f.key);
        const wanted = Object.keys(state.properties).filter((k) => k !== 'offset');
        expect({ file, state: state.name, missing: wanted.filter((k) => !keys.includes(k)) }).toEqual({ file, state: state.name, missing: [] });
        expect(keys).not.toContain('offset');
      }
    }
  });

  it('gives back the same value when a corpus value is typed again', () => {
    let checked = 0;
    for (const { definition } of corpus) {
      for (const state of definition.states) {
        for (const f of fieldsFor(state.type, state.properties)) {
          const value = state.properties[f.key];
          if (!['text', 'multiline', 'integer', 'number', 'choice'].includes(f.kind) || !(typeof value === 'string' || typeof value === 'number') || value === '') continue;
          expect({ key: f.key, value: valueOf(f, textOf(value), value) }).toEqual({ key: f.key, value });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('shows properties the schema does not model as extra fields', () => {
    const fields = fieldsFor('send-message', { body: 'Hi', custom: { a: 1 }, note: 'x', offset: { x: 0, y: 0 } });
    expect(fields.find((f) => f.key === 'custom')).toMatchObject({ kind: 'json', extra: true, label: 'Custom' });
    expect(fields.find((f) => f.key === 'note')).toMatchObject({ kind: 'text', extra: true });
    expect(fields.filter((f) => f.key === 'body')).toHaveLength(1);
    expect(fieldsFor('no-such-type', { a: 'b' }).map((f) => f.key)).toEqual(['a']);
  });

  it('keeps numbers numbers and strings strings, and removes cleared non-text values', () => {
    const timeout = field('gather-input-on-call', 'timeout');
    expect(valueOf(timeout, '7', 5)).toBe(7);
    expect(valueOf(timeout, '7', undefined)).toBe(7);
    expect(valueOf(timeout, '7', '5')).toBe('7');
    expect(valueOf(timeout, '{{flow.variables.t}}', 5)).toBe('{{flow.variables.t}}');
    expect(valueOf(timeout, '', 5)).toBeUndefined();
    const stop = field('gather-input-on-call', 'stop_gather');
    expect(valueOf(stop, 'false', true)).toBe(false);
    expect(valueOf(stop, 'false', 'true')).toBe('false');
    expect(valueOf(field('make-http-request', 'content_type'), '', 'application/json')).toBeUndefined();
    expect(valueOf(field('send-message', 'body'), '', 'Hi')).toBe('');
  });

  it('sets and removes a property in place', () => {
    expect(Object.keys(withProperty({ a: 1, b: 2, c: 3 }, 'b', 9))).toEqual(['a', 'b', 'c']);
    expect(withProperty({ a: 1, b: 2 }, 'a', undefined)).toEqual({ b: 2 });
  });
});

describe('inspector findings', () => {
  const definition: FlowDefinition = {
    initial_state: 'Trigger',
    states: [
      { name: 'Trigger', type: 'trigger', properties: {}, transitions: [] },
      { name: 'a/b', type: 'send-message', properties: {}, transitions: [{ event: 'sent' }] },
    ],
  };

  it('places each finding by its pointer', () => {
    expect(segmentsOf('#/states/1/properties/a~1b~0')).toEqual(['states', '1', 'properties', 'a/b~']);
    const found = findingsOf(
      definition,
      'a/b',
      [
        { property_path: '#/states/1/properties/body', message: 'a message needs a body', code: 'schema:required' },
        { property_path: '#/states/1/transitions/0/next', message: 'x', code: 'transition:unknown-target' },
        { property_path: '#/states/1/name', message: 'bad name', code: 'widget:invalid-name' },
        { property_path: '#/states/0/properties/body', message: 'other widget', code: 'x' },
      ],
      [{ property_path: '#/states/1/transitions', message: 'no failed path', code: 'widget:no-failure-path' }],
    );
    expect(found.properties.get('body')?.map((f) => f.severity)).toEqual(['error']);
    expect(found.transitions.get(0)?.[0]?.issue.code).toBe('transition:unknown-target');
    expect(found.transitionsAll.map((f) => f.severity)).toEqual(['warning']);
    expect(found.general.map((f) => f.issue.code)).toEqual(['widget:invalid-name']);
    expect(widgetNameOf(definition, '#/states/1/properties/body')).toBe('a/b');
    expect(widgetNameOf(definition, '#/initial_state')).toBeUndefined();
  });
});

describe('split branches', () => {
  it('adds a branch testing the split input, renames default names, and follows the input', () => {
    const branch = newBranch('{{trigger.message.Body}}');
    expect(branch).toEqual({ event: 'match', conditions: [{ friendly_name: 'If value equal_to', arguments: ['{{trigger.message.Body}}'], type: 'equal_to', value: '' }] });
    const condition = branch.conditions![0]!;
    expect(changeCondition(condition, { value: 'yes' }).friendly_name).toBe(defaultBranchName('equal_to', 'yes'));
    expect(changeCondition({ ...condition, friendly_name: 'Mine' }, { value: 'yes' }).friendly_name).toBe('Mine');
    const moved = followInput([branch, { event: 'noMatch' }], '{{trigger.message.Body}}', '{{flow.variables.x}}');
    expect(moved[0]!.conditions![0]!.arguments).toEqual(['{{flow.variables.x}}']);
    expect(moved[1]).toEqual({ event: 'noMatch' });
  });
});
