// The workflow bundle's entry point: workflow functions only.
export { flowExecution } from './flow-execution';
export { campaignWorkflow } from './campaign';
export { scheduledRun } from './schedule';
