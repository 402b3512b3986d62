import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSuite } from '../../src/flowtest/load';
import { FlowTestFileError, parseFlowTestFile } from '../../src/flowtest/parse';
import { FLOWTEST_SCHEMA_PATH, flowTestJsonSchema } from '../../src/flowtest/json-schema';

/** The problems a text makes the parser report, as `line key: message`. */
function problems(text: string): string[] {
  try {
    parseFlowTestFile(text, 'x.flowtest.yaml');
  } catch (err) {
    if (err instanceof FlowTestFileError) return err.problems.map((p) => `${p.line} ${p.key}: ${p.message}`);
    throw err;
  }
  return [];
}

const GOOD = ['flow: ./f.json', 'tests:', '  - name: one', '    trigger: { message: hi }', '    steps:', '      - expect: { message: /hel+o/i }', '      - send: Ada', '      - wait: 7d'];

describe('parsing a flow test file', () => {
  it('reads the documented format', () => {
    const file = parseFlowTestFile(GOOD.join('\n'), 'x');
    expect(file.tests[0]!.steps).toEqual([{ expect: { message: '/hel+o/i' } }, { send: 'Ada' }, { wait: '7d' }]);
  });

  it('names the line and key of an unknown key', () => {
    const text = [...GOOD.slice(0, 5), '      - expect: { mesage: hi }'].join('\n');
    expect(problems(text)).toEqual(['6 tests[0].steps[0].expect.mesage: unknown key "mesage"']);
  });

  it('names the line of a regular expression that does not compile', () => {
    const text = [...GOOD.slice(0, 5), '      - send: hi', '      - expect: { message: "/(unclosed/" }'].join('\n');
    expect(problems(text)).toEqual([expect.stringMatching(/^7 tests\[0\]\.steps\[1\]\.expect\.message: the regular expression \/\(unclosed\/ does not compile/)]);
  });

  it('reports malformed YAML with its line', () => {
    expect(problems('flow: ./f.json\ntests:\n  - name: [unclosed\n')).toEqual([expect.stringMatching(/^\d+ : /)]);
  });

  it('reports a wrong type, a step with two actions and a bad duration at their lines', () => {
    const text = ['flow: ./f.json', 'tests:', '  - name: one', '    trigger: { message: hi }', '    steps:', '      - { send: a, press: "1" }', '      - wait: soon', '      - press: true'].join('\n');
    expect(problems(text)).toEqual([
      '6 tests[0].steps[0]: a step has exactly one of expect, send, press, speak, hangup, callback, wait',
      '7 tests[0].steps[1].wait: a duration like 30s, 5m, 2h or 7d',
      '8 tests[0].steps[2].press: not one of the allowed forms (digits, * or #)',
    ]);
  });

  it('names a trigger that is none of the four kinds', () => {
    const text = ['flow: ./f.json', 'tests:', '  - name: one', '    trigger: { sms: hi }'].join('\n');
    expect(problems(text)).toEqual(['4 tests[0].trigger: not one of the allowed forms (message, call, request or conversation, each with its own keys)']);
  });

  it('names a subflow key that is no Flow SID', () => {
    const text = [...GOOD, 'subflows:', '  child: ./child.json'].join('\n');
    expect(problems(text)).toEqual(['10 subflows.child: a Flow SID (FW and 32 hex digits)']);
  });

  it('reports an alias without its anchor, and an alias bomb, as problems of the file', () => {
    expect(problems('flow: ./f.json\ntests: *)(uid=*\n')).toEqual([expect.stringMatching(/^1 : Unresolved alias/)]);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n');
    expect(problems(bomb)).toEqual([expect.stringMatching(/^1 : .*(alias|Excessive)/i)]);
  });

  it('requires at least one test', () => {
    expect(problems('flow: ./f.json\ntests: []')).toEqual(['2 tests: Too small: expected array to have >=1 items']);
  });
});

describe('loading a suite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowtest-load-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports a flow that does not validate as the flow file\'s problem, at its line', () => {
    const flow = { description: 'x', initial_state: 'Trigger', flags: { allow_concurrent_calls: true }, states: [{ name: 'Trigger', type: 'trigger', properties: {}, transitions: [{ event: 'incomingMessage', next: 'nowhere' }] }] };
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(flow, null, 2));
    fs.writeFileSync(path.join(dir, 'bad.flowtest.yaml'), 'flow: ./bad.json\ntests:\n  - name: one\n    trigger: { message: hi }\n');
    expect(() => loadSuite(path.join(dir, 'bad.flowtest.yaml'))).toThrow(/bad\.json:\d+: states\.0\.transitions\.0.*nowhere.*\(the flow does not validate\)/);
  });

  it('requires the flow key in a file on disk (tests kept with a flow have their revision instead)', () => {
    fs.writeFileSync(path.join(dir, 'noflow.flowtest.yaml'), 'tests:\n  - name: one\n    trigger: { message: hi }\n');
    expect(() => loadSuite(path.join(dir, 'noflow.flowtest.yaml'), 'noflow.flowtest.yaml')).toThrow(/^noflow\.flowtest\.yaml:1: flow: required/);
  });

  it('names a missing flow file at the flow key', () => {
    fs.writeFileSync(path.join(dir, 'missing.flowtest.yaml'), '# a comment\nflow: ./nope.json\ntests:\n  - name: one\n    trigger: { message: hi }\n');
    expect(() => loadSuite(path.join(dir, 'missing.flowtest.yaml'), 'missing.flowtest.yaml')).toThrow(/^missing\.flowtest\.yaml:2: flow: the flow file .*nope\.json does not exist$/);
  });
});

describe('the JSON Schema for editors', () => {
  it('is the one generated from the parser\'s schema (npm run generate:schemas)', () => {
    expect(fs.readFileSync(path.join(__dirname, '..', '..', FLOWTEST_SCHEMA_PATH), 'utf8')).toBe(flowTestJsonSchema());
  });
});
