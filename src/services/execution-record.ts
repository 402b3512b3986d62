import { defaultPayloadConverter, type RawWorkflowExecutionInfo, type WorkflowExecutionInfo } from '@temporalio/client';
import type { LoadedDataConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { JsonObject, JsonValue } from '../engine/json';
import { ContactAddress, CurrentWidget, ExecutionSid, FlowRevision, FlowSid } from '../../workflows/search-attributes';

/** An execution as visibility and the workflow describe it. */
export interface ExecutionRecord {
  readonly sid: string;
  readonly accountSid: string;
  readonly flowSid: string;
  readonly workflowId: string;
  readonly contact: string;
  readonly revision: number;
  readonly active: boolean;
  readonly started: Date;
  readonly closed?: Date;
  readonly initiatedBy: string | null;
  /** The widget it last settled to wait at (CurrentWidget), while it runs. */
  readonly waitingAt?: string;
}

/** What a record is made of, whether it comes from a describe or from a visibility page. */
interface Described {
  readonly workflowId: string;
  readonly running: boolean;
  readonly started: Date;
  readonly closed: Date | undefined;
  readonly memo: JsonObject;
  readonly attributes: { readonly sid?: string; readonly flowSid?: string; readonly contact?: string; readonly revision?: number; readonly waitingAt?: string };
}

/** The record of a workflow's describe; undefined for a workflow that is not an execution (no SID). */
export function recordFromDescription(info: Omit<WorkflowExecutionInfo, 'raw'>): ExecutionRecord | undefined {
  const sa = info.typedSearchAttributes;
  return toRecord({
    workflowId: info.workflowId,
    running: info.status.name === 'RUNNING',
    started: info.startTime,
    closed: info.closeTime,
    memo: (info.memo ?? {}) as JsonObject,
    attributes: { sid: sa.get(ExecutionSid), flowSid: sa.get(FlowSid), contact: sa.get(ContactAddress), revision: sa.get(FlowRevision), waitingAt: sa.get(CurrentWidget) },
  });
}

/**
 * The record of one entry of a visibility page. The SDK decodes such entries only while it
 * iterates all pages (`workflow.list`), which hides the page token the API hands out, so the
 * entries of one page are decoded here with the public converters.
 */
export async function recordFromVisibility(raw: RawWorkflowExecutionInfo, converter: LoadedDataConverter): Promise<ExecutionRecord | undefined> {
  const fields = raw.searchAttributes?.indexedFields ?? {};
  const keyword = (name: string) => attribute(fields[name], (v): v is string => typeof v === 'string');
  return toRecord({
    workflowId: raw.execution?.workflowId ?? '',
    running: raw.status === temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
    started: dateOf(raw.startTime) ?? new Date(0),
    closed: dateOf(raw.closeTime),
    memo: await decodeMemo(raw.memo?.fields ?? {}, converter),
    attributes: {
      sid: keyword(ExecutionSid.name),
      flowSid: keyword(FlowSid.name),
      contact: keyword(ContactAddress.name),
      waitingAt: keyword(CurrentWidget.name),
      revision: attribute(fields[FlowRevision.name], (v): v is number => Number.isInteger(v)),
    },
  });
}

function toRecord(d: Described): ExecutionRecord | undefined {
  const { sid, flowSid } = d.attributes;
  if (!sid || !flowSid) return undefined;
  return {
    sid,
    accountSid: typeof d.memo.accountSid === 'string' ? d.memo.accountSid : '',
    flowSid,
    workflowId: d.workflowId,
    contact: d.attributes.contact ?? '',
    revision: d.attributes.revision ?? 0,
    active: d.running,
    started: d.started,
    ...(d.closed ? { closed: d.closed } : {}),
    initiatedBy: typeof d.memo.initiatedBy === 'string' ? d.memo.initiatedBy : null,
    ...(d.running && d.attributes.waitingAt ? { waitingAt: d.attributes.waitingAt } : {}),
  };
}

type Payload = NonNullable<NonNullable<RawWorkflowExecutionInfo['memo']>['fields']>[string];

/** A search attribute's value; servers before 1.18 wrap single values in an array. */
function attribute<T>(payload: Payload | undefined, valid: (v: unknown) => v is T): T | undefined {
  if (!payload) return undefined;
  const value: unknown = defaultPayloadConverter.fromPayload(payload);
  const single: unknown = Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
  return valid(single) ? single : undefined;
}

/** The memo through the client's codecs (last applied, first undone) and payload converter, as the SDK decodes it. */
async function decodeMemo(fields: Record<string, Payload>, converter: LoadedDataConverter): Promise<JsonObject> {
  const keys = Object.keys(fields);
  let payloads = keys.map((k) => fields[k]!);
  for (const codec of [...converter.payloadCodecs].reverse()) payloads = await codec.decode(payloads);
  return Object.fromEntries(keys.map((k, i) => [k, converter.payloadConverter.fromPayload<JsonValue>(payloads[i]!)]));
}

function dateOf(ts: RawWorkflowExecutionInfo['startTime']): Date | undefined {
  if (!ts) return undefined;
  return new Date((ts.seconds?.toNumber() ?? 0) * 1000 + Math.floor((ts.nanos ?? 0) / 1_000_000));
}
