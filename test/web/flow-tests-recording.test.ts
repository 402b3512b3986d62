import fs from 'node:fs';
import path from 'node:path';
import { parseFlowTestFile } from '../../src/flowtest/parse';
import type { FlowDefinition } from '../../src/flow/definition';
import { coveragePath } from '../../web/src/tests/coverage';
import { addTest, conversationTest, freshName } from '../../web/src/tests/recording';

/** The editor's side of flow tests: a simulator conversation becomes a test the runner reads, and a run's coverage a path on the canvas. */
describe('saving a simulator conversation as a test', () => {
  it('turns a chat into a message-triggered test, replies into expectations, in order', () => {
    const test = conversationTest('chat', {
      channel: 'message',
      contact: '+15555550100',
      to: '+15555550199',
      items: [{ kind: 'in', text: 'hi' }, { kind: 'out', text: 'What is your name?' }, { kind: 'in', text: 'Ada' }, { kind: 'out', text: 'Hello Ada' }],
      end: { ended: true },
    });
    expect(test).toEqual({
      name: 'chat',
      trigger: { message: 'hi', from: '+15555550100', to: '+15555550199' },
      steps: [{ expect: { message: 'What is your name?' } }, { send: 'Ada' }, { expect: { message: 'Hello Ada' } }, { expect: { ended: true } }],
    });
  });

  it('turns a call into a call-triggered test: heard, pressed, silence, hung up, still waiting', () => {
    const test = conversationTest('call', {
      channel: 'voice',
      contact: '+15555550100',
      to: '+15555550199',
      items: [{ kind: 'say', text: 'Press 1' }, { kind: 'press', digits: '1' }, { kind: 'press', digits: '' }, { kind: 'hangup' }],
      end: { ended: false, widget: 'menu' },
    });
    expect(test?.steps).toEqual([{ expect: { say: 'Press 1' } }, { press: '1' }, { wait: '1m' }, { hangup: true }, { expect: { widget: 'menu' } }]);
    expect(conversationTest('none', { channel: 'message', contact: 'a', to: 'b', items: [] })).toBeUndefined();
  });

  it('adds the test to the flow\'s tests, keeping what was there, in a file the runner parses', () => {
    const before = '# our tests\ntests:\n  - name: Simulator conversation 1\n    trigger: { message: "x" }\n';
    const name = freshName(before);
    expect(name).toBe('Simulator conversation 2');
    const test = conversationTest(name, { channel: 'message', contact: '+1555', to: '+1666', items: [{ kind: 'in', text: 'hello, there: "you"' }, { kind: 'out', text: '/not a regex?' }] })!;
    const after = addTest(before, test);
    expect(after.startsWith('# our tests\n')).toBe(true);
    const parsed = parseFlowTestFile(after, 'tests.flowtest.yaml');
    expect(parsed.tests.map((t) => t.name)).toEqual(['Simulator conversation 1', 'Simulator conversation 2']);
    expect(parsed.tests[1]).toMatchObject({ trigger: { message: 'hello, there: "you"' }, steps: [{ expect: { message: '/not a regex?' } }] });
    expect(parseFlowTestFile(addTest(null, test), 'x').tests).toHaveLength(1);
  });
});

describe('coverage on the canvas', () => {
  it('marks covered widgets with their test counts and covered transitions as taken', () => {
    const definition = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'flowtests', 'menu.json'), 'utf8')) as FlowDefinition;
    const shown = coveragePath(
      {
        widgets: { covered: 4, total: 7, percent: 57, hits: { Trigger: 2, menu: 2, route: 1, sales: 1 } },
        transitions: { covered: 3, total: 9, percent: 33, hits: { 'Trigger.incomingCall→menu': 2, 'menu.keypress→route': 1, 'route.match→sales': 1 } },
      },
      definition,
    );
    expect([...shown.visits]).toEqual([['Trigger', [2]], ['menu', [2]], ['route', [1]], ['sales', [1]]]);
    // Trigger's second transition, menu's first, route's second (the "1" branch, not the "2" one).
    expect([...shown.taken].sort()).toEqual(['Trigger#1', 'menu#0', 'route#1']);
    expect(shown.title).toBe('test coverage: widgets 4/7 (57 %), transitions 3/9 (33 %)');
  });
});
