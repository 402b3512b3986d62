import type { RevisionChoice } from '../engine/effects';
import { contextAt } from '../engine/state';
import type { WidgetBehaviour } from '../engine/widget';
import { parseProperties } from './parse';
import { runSubflowProps } from './readers.generated';
import { type Infer } from './props';
import { renderKeyValueObject } from './values';


/**
 * Run Subflow — runs another flow to its end within this execution. The subflow starts with
 * `incomingParent` and finds the rendered parameters in `trigger.parent.parameters`; the
 * variables it sets come back as `widgets.<name>.<key>`. `completed` when it ends normally,
 * `failed` when it cannot be loaded or run, or would nest deeper than allowed (81024).
 *
 * @example
 * { "name": "subflow_1", "type": "run-subflow", "transitions": [{ "event": "completed" }, { "event": "failed" }],
 *   "properties": { "flow_sid": "FW00000000000000000000000000000001", "flow_revision": "LatestPublished",
 *                   "parameters": [{ "key": "answer", "value": "{{trigger.message.Body}}" }] } }
 */
export const runSubflow: WidgetBehaviour<Infer<typeof runSubflowProps>> = {
  type: 'run-subflow',
  parse: (properties) => parseProperties('run-subflow', runSubflowProps, properties),
  run: async ({ name, props, stepSid, render, host, limits, depth }) => {
    if (depth + 1 > limits.maxSubflowDepth) {
      return { event: 'failed', outputs: {}, error: { code: 'subflow:too-deep', message: `Subflows may nest ${limits.maxSubflowDepth} level(s) deep (81024)` } };
    }
    const revision = revisionChoice(props.flow_revision);
    if (revision === undefined) {
      return { event: 'failed', outputs: {}, error: { code: 'subflow:revision', message: 'flow_revision must be a number, LatestPublished or LatestRevision (81021)' } };
    }
    const parameters = renderKeyValueObject(props.parameters ?? [], render, limits.maxJsonDepth);
    const result = await host.runSubflow({ widget: name, stepSid, flowSid: props.flow_sid.trim(), revision, parameters });
    if (!result.ok) return { event: 'failed', outputs: {}, error: result.failure, ...(result.run ? { subflow: result.run } : {}) };
    const final = contextAt(result.run.initial, result.run.steps, result.run.steps.length - 1);
    return { event: 'completed', outputs: final.flow.variables, subflow: result.run };
  },
};

function revisionChoice(value: string | number): RevisionChoice | undefined {
  const text = String(value).trim();
  if (text === 'LatestPublished' || text === 'LatestRevision') return text;
  return /^[1-9]\d*$/.test(text) ? Number(text) : undefined;
}
