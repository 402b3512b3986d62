/** One workflow ID per flow and contact (or conversation, or call): a second start for a busy contact conflicts. */
export function executionWorkflowId(flowSid: string, contact: string): string {
  return `${flowSid}:${contact}`;
}

/** Whether a workflow ID from outside (a callback URL's `WorkflowId`) names an execution of this flow, or a subflow one runs (its ID extends the parent's). */
export function isExecutionOfFlow(workflowId: string | undefined, flowSid: string): workflowId is string {
  return workflowId !== undefined && workflowId.startsWith(executionWorkflowId(flowSid, ''));
}
