import { corpusFlows } from '../helpers/corpus';
import { startTestApi, type TestApi } from '../helpers/api';
import { DIALECTS } from '../helpers/databases';

/**
 * Compatibility: every real Studio export imports through the REST API unchanged and comes back
 * deep-equal. A flow is valid unless it has a real defect, reported at its exact path.
 */
const DEFECTS: Record<string, string[]> = {
  // A split branch transitions to "Goodbye", which the flow does not have.
  '015-ca-regulatory-voice-flow': ['#/states/16/transitions/1/next'],
};

/**
 * Liquid output tags never closed: a warning, not a defect — Studio saved, exported and deployed
 * the flow; the widget fails when it renders (84003).
 */
const UNCLOSED_OUTPUTS: Record<string, string[]> = {
  // A Run Function parameter holds "{{flow.variables.reservation_id".
  '004-apaleo-hotel-bot': ['#/states/23/properties/parameters/0/value'],
};

describe.each(DIALECTS)('the corpus through the API (%s store)', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(dialect);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('imports all 79 flows unchanged; only the real defects are invalid', async () => {
    const flows = corpusFlows();
    expect(flows).toHaveLength(79);
    const invalid: Record<string, string[]> = {};
    let published = 0;
    let warnings = 0;
    const unclosed: Record<string, string[]> = {};
    for (const flow of flows) {
      const created = await api.request('/v2/Flows', { method: 'POST', form: { FriendlyName: flow.name, Status: 'draft', Definition: flow.text } });
      const body = (await created.json()) as { sid: string; valid: boolean; errors: Array<{ property_path: string }>; warnings: Array<{ property_path: string; code: string }> };
      expect({ flow: flow.name, status: created.status }).toEqual({ flow: flow.name, status: 201 });
      warnings += body.warnings.length;
      const outputs = body.warnings.filter((w) => w.code === 'liquid:unclosed-output').map((w) => w.property_path);
      if (outputs.length > 0) unclosed[flow.name] = outputs;
      if (!body.valid) invalid[flow.name] = body.errors.map((e) => e.property_path);

      const fetched = (await (await api.request(`/v2/Flows/${body.sid}`)).json()) as { definition: unknown };
      expect(fetched.definition).toEqual(flow.definition);

      if (body.valid) {
        const publish = await api.request(`/v2/Flows/${body.sid}`, { method: 'POST', form: { Status: 'published', CommitMessage: 'import' } });
        expect({ flow: flow.name, status: publish.status }).toEqual({ flow: flow.name, status: 200 });
        published++;
      }
    }
    expect(invalid).toEqual(DEFECTS);
    expect(unclosed).toEqual(UNCLOSED_OUTPUTS);
    console.log(
      `corpus (${dialect}): ${flows.length} imported and deep-equal, ${published} valid and published, ` +
        `${Object.keys(invalid).length} invalid (${Object.keys(invalid).join(', ')}), ${warnings} warnings`,
    );
  }, 120_000);
});
