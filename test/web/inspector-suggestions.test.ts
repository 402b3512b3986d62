import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlowDefinition } from '../../src/flow/definition';
import { WIDGET_SPECS } from '../../src/flow/widgets';
import { filterSuggestions, insertSuggestion, liquidQueryAt, suggestionsFor } from '../../web/src/inspector/suggestions';

const FLOWS_DIR = join(__dirname, '../../../shared/studio-flows/flows');
const corpus: Array<{ file: string; definition: FlowDefinition }> = readdirSync(FLOWS_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, definition: JSON.parse(readFileSync(join(FLOWS_DIR, file), 'utf8')) as FlowDefinition }));

const flow: FlowDefinition = {
  initial_state: 'Trigger',
  states: [
    { name: 'Trigger', type: 'trigger', properties: {}, transitions: [{ event: 'incomingMessage', next: 'ask' }] },
    { name: 'ask', type: 'send-and-wait-for-reply', properties: { body: 'Name?' }, transitions: [] },
    { name: 'remember', type: 'set-variables', properties: { variables: [{ key: 'name', value: '{{widgets.ask.inbound.Body}}' }, { key: '' }] }, transitions: [] },
    { name: 'call_api', type: 'make-http-request', properties: {}, transitions: [] },
    { name: 'route', type: 'split-based-on', properties: { input: '' }, transitions: [] },
    { name: 'gather', type: 'gather-input-on-call', properties: {}, transitions: [] },
  ],
};

describe('Liquid variable suggestions', () => {
  it('offers the globals, the trigger subtrees and what the other widgets publish', () => {
    const all = suggestionsFor(flow, 'route');
    expect(all).toEqual(expect.arrayContaining([
      'flow.flow_sid', 'flow.data', 'flow.channel.address', 'contact.channel.address',
      'trigger.message.Body', 'trigger.message.From', 'trigger.call.CallSid', 'trigger.request.parameters', 'trigger.parent.parameters', 'trigger.conversation.Body',
      'flow.variables.name', 'widgets.remember.name',
      'widgets.ask.inbound.Body', 'widgets.ask.inbound.From', 'widgets.ask.outbound.Sid',
      'widgets.call_api.status_code', 'widgets.call_api.body', 'widgets.call_api.parsed', 'widgets.call_api.content_type',
      'widgets.gather.Digits', 'widgets.gather.SpeechResult', 'widgets.gather.Confidence',
    ]));
    expect(all.filter((p) => p.startsWith('widgets.route.') || p.startsWith('widgets.Trigger.'))).toEqual([]);
    expect(all).not.toContain('flow.variables.');
    expect(new Set(all).size).toBe(all.length);
  });

  it('never suggests a widget its own outputs', () => {
    expect(suggestionsFor(flow, 'ask').some((p) => p.startsWith('widgets.ask.'))).toBe(false);
    expect(suggestionsFor(flow, 'call_api')).toContain('widgets.ask.inbound.Body');
    for (const { definition } of corpus) {
      for (const state of definition.states) {
        expect(suggestionsFor(definition, state.name).filter((p) => p.startsWith(`widgets.${state.name}.`))).toEqual([]);
      }
    }
  });

  it('finds the reply and variables of the corpus flows', () => {
    let replies = 0;
    let variables = 0;
    for (const { definition } of corpus) {
      const all = suggestionsFor(definition, undefined);
      for (const state of definition.states) {
        if (state.type === 'send-and-wait-for-reply') {
          expect(all).toContain(`widgets.${state.name}.inbound.Body`);
          replies++;
        }
        if (state.type === 'set-variables') {
          for (const v of (state.properties.variables as Array<{ key: string }> | undefined) ?? []) {
            if (v.key.trim()) expect(all).toContain(`flow.variables.${v.key.trim()}`);
            variables++;
          }
        }
      }
    }
    expect(replies).toBeGreaterThan(0);
    expect(variables).toBeGreaterThan(0);
  });

  it('suggests every output a widget spec declares', () => {
    const definition = { description: '', initial_state: 'Trigger', states: Object.keys(WIDGET_SPECS).map((type) => ({ name: type.replace(/-/g, '_'), type, properties: {}, transitions: [] })) };
    const all = suggestionsFor(definition, undefined);
    for (const [type, spec] of Object.entries(WIDGET_SPECS)) for (const output of spec.outputs ?? []) expect(all).toContain(`widgets.${type.replace(/-/g, '_')}.${output}`);
  });
});

describe('typing {{ in a Liquid field', () => {
  it('finds the open tag before the caret', () => {
    expect(liquidQueryAt('Hi {{wid', 8)).toEqual({ start: 3, query: 'wid' });
    expect(liquidQueryAt('Hi {{ ', 6)).toEqual({ start: 3, query: '' });
    expect(liquidQueryAt('Hi {{x}} there', 14)).toBeUndefined();
    expect(liquidQueryAt('Hi {{x | upcase', 15)).toBeUndefined();
    expect(liquidQueryAt('Hi', 2)).toBeUndefined();
    expect(liquidQueryAt('{{a}} {{flow.', 13)).toEqual({ start: 6, query: 'flow.' });
  });

  it('filters with prefix matches first', () => {
    expect(filterSuggestions(['trigger.message.Body', 'widgets.ask.inbound.Body', 'flow.data'], 'body')).toEqual(['trigger.message.Body', 'widgets.ask.inbound.Body']);
    expect(filterSuggestions(['widgets.ask.inbound.Body', 'trigger.message.Body', 'flow.data'], 'Body')).toEqual(['widgets.ask.inbound.Body', 'trigger.message.Body']);
    expect(filterSuggestions(['trigger.message.Body', 'flow.data', 'flow.flow_sid'], 'flow')).toEqual(['flow.data', 'flow.flow_sid']);
    expect(filterSuggestions(['a.flow', 'flow.data'], 'FLOW')).toEqual(['flow.data', 'a.flow']);
  });

  it('inserts the chosen path as a whole tag and puts the caret after it', () => {
    expect(insertSuggestion('Hi {{wid there', 8, { start: 3, query: 'wid' }, 'widgets.ask.inbound.Body')).toEqual({ text: 'Hi {{widgets.ask.inbound.Body}} there', caret: 31 });
    expect(insertSuggestion('Hi {{wid}}!', 8, { start: 3, query: 'wid' }, 'flow.data')).toEqual({ text: 'Hi {{flow.data}}!', caret: 16 });
  });
});
