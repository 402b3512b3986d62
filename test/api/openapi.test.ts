import SwaggerParser from '@apidevtools/swagger-parser';
import { startTestApi, type TestApi } from '../helpers/api';

interface Document {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; requestBody?: unknown; parameters?: Array<{ name: string; in: string }>; responses: Record<string, unknown> }>>;
}

describe('GET /openapi.json', () => {
  let api: TestApi;
  let document: Document;
  beforeAll(async () => {
    api = await startTestApi('sqlite');
    const res = await fetch(`${api.url}/openapi.json`);
    expect(res.status).toBe(200);
    document = (await res.json()) as Document;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it("documents every route with Twilio's operation names and parameters", () => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`));
    expect(operations.sort()).toEqual(
      [
        'GET /v2/Flows ListFlow',
        'POST /2010-04-01/Accounts/{AccountSid}/Keys.json CreateNewKey',
        'GET /2010-04-01/Accounts/{AccountSid}/Keys.json ListKey',
        'GET /2010-04-01/Accounts/{AccountSid}/Keys/{Sid}.json FetchKey',
        'POST /2010-04-01/Accounts/{AccountSid}/Keys/{Sid}.json UpdateKey',
        'DELETE /2010-04-01/Accounts/{AccountSid}/Keys/{Sid}.json DeleteKey',
        'POST /v2/Flows CreateFlow',
        'POST /v2/Flows/Validate UpdateFlowValidate',
        'GET /v2/Flows/{FlowSid} FetchFlow',
        'POST /v2/Flows/{FlowSid} UpdateFlow',
        'DELETE /v2/Flows/{FlowSid} DeleteFlow',
        'POST /v2/Flows/{FlowSid}/Duplicate CreateFlowDuplicate',
        'GET /v2/Flows/{FlowSid}/Revisions ListFlowRevision',
        'GET /v2/Flows/{FlowSid}/Revisions/{Revision} FetchFlowRevision',
        'GET /v2/Flows/{FlowSid}/TestUsers FetchFlowTestUser',
        'GET /v2/Flows/{FlowSid}/Insights FetchFlowInsights',
        'GET /v2/Flows/{FlowSid}/Insights/Widgets ListFlowInsightWidgets',
        'GET /v2/Flows/{FlowSid}/Insights/Widgets/{Widget}/Executions ListFlowInsightWidgetExecutions',
        'GET /v2/Flows/{FlowSid}/Insights/Transitions ListFlowInsightTransitions',
        'GET /v2/Flows/{FlowSid}/Insights/Waits ListFlowInsightWaits',
        'GET /v2/Flows/{FlowSid}/Insights/Funnel FetchFlowInsightFunnel',
        'GET /v2/Flows/{FlowSid}/Insights/Daily ListFlowInsightDays',
        'GET /v2/Flows/{FlowSid}/Migrations FetchFlowMigrationPlan',
        'POST /v2/Flows/{FlowSid}/Migrations CreateFlowMigration',
        'GET /v2/Flows/{FlowSid}/Migrations/Runs ListFlowMigration',
        'GET /v2/Flows/{FlowSid}/Migrations/{MigrationSid} FetchFlowMigration',
        'GET /v2/Flows/{FlowSid}/Migrations/{MigrationSid}/Executions ListFlowMigrationExecution',
        'POST /v2/Flows/{FlowSid}/Campaigns CreateCampaign',
        'POST /v2/Flows/{FlowSid}/Campaigns/Preview PreviewCampaign',
        'GET /v2/Flows/{FlowSid}/Campaigns ListCampaign',
        'GET /v2/Flows/{FlowSid}/Campaigns/{CampaignSid} FetchCampaign',
        'POST /v2/Flows/{FlowSid}/Campaigns/{CampaignSid} UpdateCampaign',
        'GET /v2/Flows/{FlowSid}/Campaigns/{CampaignSid}/Contacts ListCampaignContact',
        'POST /v2/Flows/{FlowSid}/Schedules CreateSchedule',
        'GET /v2/Flows/{FlowSid}/Schedules ListSchedule',
        'GET /v2/Flows/{FlowSid}/Schedules/{ScheduleSid} FetchSchedule',
        'POST /v2/Flows/{FlowSid}/Schedules/{ScheduleSid} UpdateSchedule',
        'DELETE /v2/Flows/{FlowSid}/Schedules/{ScheduleSid} DeleteSchedule',
        'POST /v2/Flows/{FlowSid}/Schedules/{ScheduleSid}/Runs CreateScheduleRun',
        'GET /v2/Flows/{FlowSid}/Schedules/{ScheduleSid}/Runs ListScheduleRun',
        'POST /v2/ContactLists CreateContactList',
        'GET /v2/ContactLists ListContactList',
        'GET /v2/ContactLists/{Sid} FetchContactList',
        'POST /v2/ContactLists/{Sid} UpdateContactList',
        'DELETE /v2/ContactLists/{Sid} DeleteContactList',
        'GET /v2/ContactLists/{Sid}/Contacts ListContactListContact',
        'GET /v2/Flows/{FlowSid}/Tests FetchFlowTests',
        'POST /v2/Flows/{FlowSid}/TestUsers UpdateFlowTestUser',
        'POST /v2/Flows/{FlowSid}/Tests UpdateFlowTests',
        'POST /v2/Flows/{FlowSid}/Tests/Runs CreateFlowTestRun',
        'POST /v2/Flows/{FlowSid}/Executions CreateExecution',
        'GET /v2/Flows/{FlowSid}/Executions ListExecution',
        'GET /v2/Flows/{FlowSid}/Executions/{ExecutionSid} FetchExecution',
        'POST /v2/Flows/{FlowSid}/Executions/{ExecutionSid} UpdateExecution',
        'DELETE /v2/Flows/{FlowSid}/Executions/{ExecutionSid} DeleteExecution',
        'GET /v2/Flows/{FlowSid}/Executions/{ExecutionSid}/Context FetchExecutionContext',
        'GET /v2/Flows/{FlowSid}/Executions/{ExecutionSid}/Steps ListExecutionStep',
        'GET /v2/Flows/{FlowSid}/Executions/{ExecutionSid}/Steps/{StepSid} FetchExecutionStep',
        'GET /v2/Flows/{FlowSid}/Executions/{ExecutionSid}/Steps/{StepSid}/Context FetchExecutionStepContext',
        'GET /v1/Local/Messages ListLocalMessage',
        'GET /v1/Local/Session FetchLocalSession',
        'POST /v1/Local/Flows/{FlowSid}/Messages CreateLocalMessage',
        'GET /v1/Local/Calls ListLocalCall',
        'POST /v1/Local/Calls/{CallSid}/Answer CreateLocalCallAnswer',
        'POST /v1/Local/Calls/{CallSid}/Requests CreateLocalCallRequest',
        'POST /v1/Local/Calls/{CallSid}/Status CreateLocalCallStatus',
        'POST /v1/Local/Flows/{FlowSid}/Calls CreateLocalCall',
        'POST /v1/Sinks CreateSink',
        'GET /v1/Sinks ListSink',
        'GET /v1/Sinks/{Sid} FetchSink',
        'POST /v1/Sinks/{Sid} UpdateSink',
        'DELETE /v1/Sinks/{Sid} DeleteSink',
        'POST /v1/Sinks/{Sid}/Test CreateSinkTest',
        'POST /v1/Sinks/{Sid}/Validate CreateSinkValidate',
        'POST /v1/Subscriptions CreateSubscription',
        'GET /v1/Subscriptions ListSubscription',
        'GET /v1/Subscriptions/{Sid} FetchSubscription',
        'POST /v1/Subscriptions/{Sid} UpdateSubscription',
        'DELETE /v1/Subscriptions/{Sid} DeleteSubscription',
        'GET /v1/Subscriptions/{SubscriptionSid}/SubscribedEvents ListSubscribedEvent',
        'POST /v1/Subscriptions/{SubscriptionSid}/SubscribedEvents CreateSubscribedEvent',
        'GET /v1/Subscriptions/{SubscriptionSid}/SubscribedEvents/{Type} FetchSubscribedEvent',
        'POST /v1/Subscriptions/{SubscriptionSid}/SubscribedEvents/{Type} UpdateSubscribedEvent',
        'DELETE /v1/Subscriptions/{SubscriptionSid}/SubscribedEvents/{Type} DeleteSubscribedEvent',
        'GET /v1/Types ListEventType',
        'GET /v1/Types/{Type} FetchEventType',
        'GET /v1/Schemas/{Id} FetchSchema',
        'GET /v1/Schemas/{Id}/Versions ListSchemaVersion',
        'GET /v1/Schemas/{Id}/Versions/{SchemaVersion} FetchSchemaVersion',
      ].sort(),
    );
    const create = document.paths['/v2/Flows']!.post!;
    const schema = (create.requestBody as { content: Record<string, { schema: { required: string[]; properties: Record<string, unknown> } }> }).content['application/x-www-form-urlencoded']!.schema;
    expect(schema.required.sort()).toEqual(['Definition', 'FriendlyName', 'Status']);
    expect(Object.keys(schema.properties)).toContain('CommitMessage');
    expect(document.paths['/v2/Flows']!.get!.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(['query:PageSize', 'query:Page', 'query:PageToken']);
    expect(Object.keys(create.responses).sort()).toEqual(['201', '400', '401']);
  });
});
