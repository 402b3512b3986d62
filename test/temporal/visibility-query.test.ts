import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { allOf, keywordIs, literal, statusIs, statusIsNot, timeBefore, timeFrom, UnsafeVisibilityValue, type VisibilityQuery } from '../../src/temporal/visibility-query';
import { ContactAddress, TriggerType } from '../../workflows/search-attributes';
import { eventually } from '../helpers/messaging';
import { temporalAddress } from '../helpers/temporal';

/**
 * Every value the module quotes is matched exactly by the real server's visibility (the dev
 * server's SQLite store), and every value it refuses is one no quoting would match exactly.
 * The workflows start on a task queue no worker polls: they stay running with their attributes.
 */
describe('Visibility queries', () => {
  let connection: Connection;
  let client: Client;
  const run = randomUUID();

  beforeAll(async () => {
    connection = await Connection.connect({ address: temporalAddress() });
    client = new Client({ connection, namespace: 'default' });
  });
  afterAll(async () => {
    await connection?.close();
  });

  /** Values a query can carry, each with decoys a LIKE-style or sloppy match would confuse with it. */
  const ACCEPTED = [
    'plain', 'a`b', 'a%b', 'a_b', 'a*b', 'a--b', 'a;b', 'a b', 'a/*b*/', 'a\u007fb', 'a\u0085b', 'a\u2028b',
    'é', '中文', '😀', 'ﬁ', '\u202eRTL', 'sip:bob@example.com', 'FW0123456789abcdef0123456789abcdef:+14155550100',
    '',
  ];
  const DECOYS = ['aXb', 'a%', 'ab', 'A_B', 'e\u0301', 'sip:bob@example.co'];

  async function startWith(contact: string): Promise<string> {
    const workflowId = `visibility-${run}-${randomUUID()}`;
    await client.workflow.start('nothing', {
      taskQueue: `no-worker-${run}`,
      workflowId,
      typedSearchAttributes: [
        { key: ContactAddress, value: contact },
        { key: TriggerType, value: run },
      ],
    });
    return workflowId;
  }

  async function list(query: VisibilityQuery): Promise<string[]> {
    const ids: string[] = [];
    for await (const execution of client.workflow.list({ query })) ids.push(execution.workflowId);
    return ids;
  }

  it('matches each accepted value exactly, special characters and Unicode included', async () => {
    const ids = new Map<string, string>();
    for (const value of [...ACCEPTED, ...DECOYS]) ids.set(value, await startWith(value));
    const everything = allOf(keywordIs(TriggerType, run), statusIs('Running'));
    await eventually('all of them listed', async () => ((await list(everything)).length === ids.size ? true : undefined));
    for (const value of ACCEPTED) {
      expect({ value, found: await list(allOf(keywordIs(TriggerType, run), keywordIs(ContactAddress, value))) }).toEqual({ value, found: [ids.get(value)] });
    }
    expect(await list(allOf(keywordIs(TriggerType, run), statusIsNot('Running')))).toEqual([]);
    const hourAgo = new Date(Date.now() - 3_600_000);
    expect((await list(allOf(keywordIs(TriggerType, run), timeFrom('StartTime', hourAgo)))).length).toBe(ids.size);
    expect(await list(allOf(keywordIs(TriggerType, run), timeBefore('StartTime', hourAgo)))).toEqual([]);
  });

  it('refuses values no quoting matches exactly on every visibility store', () => {
    const refused = [
      "o'brien", "'lead", "trail'", "'", 'a"b', 'a\\b', "a\\'b", 'a\nb', 'a\tb', 'a\rb', 'a\bb', 'a\u0000b', 'a\u0001b', 'a\u001ab', 'a\u001fb', 'a\ud800b', 'a\udfffb', '\udc00\ud800',
    ];
    for (const value of refused) expect(() => literal(value)).toThrow(UnsafeVisibilityValue);
    expect(() => keywordIs(ContactAddress, "sip:o'brien@example.com")).toThrow(UnsafeVisibilityValue);
  });

  it('quotes in single quotes, and names fields as Temporal does', () => {
    expect(literal('a%b')).toBe("'a%b'");
    expect(allOf(keywordIs('WorkflowId', 'x'), statusIsNot('ContinuedAsNew'), timeFrom('StartTime', new Date(0)))).toBe(
      "(WorkflowId = 'x') AND (ExecutionStatus != 'ContinuedAsNew') AND (StartTime >= '1970-01-01T00:00:00.000Z')",
    );
  });
});
