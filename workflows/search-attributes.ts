import { defineSearchAttributeKey } from '@temporalio/common';

/**
 * Custom search attributes of an execution. They make Executions listable per flow and contact
 * through Temporal visibility and filterable in the Temporal UI. SQL visibility allows 10
 * Keyword and 3 Int attributes per namespace; this set stays well inside that.
 */
export const FlowSid = defineSearchAttributeKey('FlowSid', 'KEYWORD');
export const ExecutionSid = defineSearchAttributeKey('ExecutionSid', 'KEYWORD');
export const ContactAddress = defineSearchAttributeKey('ContactAddress', 'KEYWORD');
export const TriggerType = defineSearchAttributeKey('TriggerType', 'KEYWORD');
export const CurrentWidget = defineSearchAttributeKey('CurrentWidget', 'KEYWORD');
export const FlowRevision = defineSearchAttributeKey('FlowRevision', 'INT');
export const StepCount = defineSearchAttributeKey('StepCount', 'INT');

export const SEARCH_ATTRIBUTES = [FlowSid, ExecutionSid, ContactAddress, TriggerType, CurrentWidget, FlowRevision, StepCount];
