import { isConditionType, CONDITION_TYPES } from './conditions';
import type { FlowDefinition, FlowState } from './definition';
import { fromZod, pointer, type FlowIssue } from './issues';
import { DEFAULT_FLOW_LIMITS, type FlowLimits } from './limits';
import { flowDefinitionSchema, stateSchema } from './schema';
import { semanticErrors, templatesOf, warnings } from './validate-graph';
import { hasLiquid } from './values';
import type { WidgetSpec } from './widget-spec';
import { WIDGET_SPECS } from './widgets';

/**
 * The outcome of validating a Flow JSON document.
 *
 * - `schemaErrors`: the document is not usable Flow JSON — wrong shape or types, unknown widget
 *   types or events, names Studio refuses, limits exceeded. The API refuses such a definition
 *   (81022) and stores nothing.
 * - `errors`: everything that makes the flow invalid: the schema errors plus graph and template
 *   problems (duplicate names, transitions to missing widgets, Liquid syntax). A draft with only
 *   these is stored with `valid: false`; it cannot be published.
 * - `warnings`: never block.
 */
export interface FlowValidation {
  readonly valid: boolean;
  readonly schemaErrors: readonly FlowIssue[];
  readonly errors: readonly FlowIssue[];
  readonly warnings: readonly FlowIssue[];
  /** The definition, typed, when it passed the schema stage. */
  readonly definition?: FlowDefinition;
}

/** Names Studio's canvas produces and accepts: letters, digits, `_` and `-`. */
const WIDGET_NAME = /^[A-Za-z0-9_-]+$/;

export function validateFlow(input: unknown, limits: FlowLimits = DEFAULT_FLOW_LIMITS): FlowValidation {
  const schemaErrors = checkSchema(input, limits);
  if (schemaErrors.length > 0) return { valid: false, schemaErrors, errors: schemaErrors, warnings: [] };
  const definition = input as FlowDefinition;
  const errors = semanticErrors(definition);
  return { valid: errors.length === 0, schemaErrors, errors, warnings: warnings(definition), definition };
}

function checkSchema(input: unknown, limits: FlowLimits): FlowIssue[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [{ property_path: '#', message: 'the definition must be a JSON object', code: 'schema:invalid' }];
  }
  const envelope = flowDefinitionSchema.safeParse(input);
  if (!envelope.success) return fromZod(envelope.error, [], input);
  const { states } = envelope.data;
  if (states.length > limits.maxWidgets) {
    return [{ property_path: pointer('states'), message: `a flow has at most ${limits.maxWidgets} widgets (got ${states.length})`, code: 'limit:widgets' }];
  }
  return states.flatMap((state, index) => checkState(state, index, limits));
}

function checkState(raw: unknown, index: number, limits: FlowLimits): FlowIssue[] {
  const shape = stateSchema.safeParse(raw);
  if (!shape.success) return fromZod(shape.error, ['states', index], raw);
  const state: FlowState = shape.data;
  const issues = checkName(state.name, index, limits);
  const spec = WIDGET_SPECS[state.type];
  if (!spec) {
    issues.push({ property_path: pointer('states', index, 'type'), message: `unknown widget type "${state.type}"`, code: 'widget:unknown-type' });
    return issues;
  }
  const properties = spec.properties.safeParse(state.properties);
  if (!properties.success) issues.push(...fromZod(properties.error, ['states', index, 'properties'], state.properties));
  issues.push(...checkLiteralProperties(state, index, spec), ...checkTransitions(state, index, spec, limits), ...checkTemplateLengths(state, index, limits));
  return issues;
}

/** Parsing Liquid costs more than linear time in its length: long templates are refused unparsed. */
function checkTemplateLengths(state: FlowState, index: number, limits: FlowLimits): FlowIssue[] {
  const issues: FlowIssue[] = [];
  for (const { template, path } of templatesOf(state, index)) {
    if (template.length > limits.maxTemplateChars) {
      issues.push({ property_path: pointer(...path), message: `a Liquid template has at most ${limits.maxTemplateChars} characters (got ${template.length})`, code: 'limit:template' });
    }
  }
  return issues;
}

function checkName(name: string, index: number, limits: FlowLimits): FlowIssue[] {
  const path = pointer('states', index, 'name');
  if (name.length === 0) return [{ property_path: path, message: 'a widget needs a name', code: 'widget:invalid-name' }];
  if (name.length > limits.maxWidgetNameLength) {
    return [{ property_path: path, message: `widget names have at most ${limits.maxWidgetNameLength} characters`, code: 'widget:invalid-name' }];
  }
  if (!WIDGET_NAME.test(name)) {
    return [{ property_path: path, message: `widget name "${name}" may only contain letters, digits, "_" and "-"`, code: 'widget:invalid-name' }];
  }
  return [];
}

function checkLiteralProperties(state: FlowState, index: number, spec: WidgetSpec): FlowIssue[] {
  return (spec.literalProperties ?? [])
    .filter((key) => typeof state.properties[key] === 'string' && hasLiquid(state.properties[key]))
    .map((key) => ({
      property_path: pointer('states', index, 'properties', key),
      message: `${key} must be a literal value, not Liquid`,
      code: 'property:liquid-not-allowed',
    }));
}

function checkTransitions(state: FlowState, index: number, spec: WidgetSpec, limits: FlowLimits): FlowIssue[] {
  if (state.transitions.length > limits.maxTransitionsPerWidget) {
    return [{ property_path: pointer('states', index, 'transitions'), message: `a widget has at most ${limits.maxTransitionsPerWidget} transitions`, code: 'limit:transitions' }];
  }
  const issues: FlowIssue[] = [];
  state.transitions.forEach((transition, t) => {
    if (!spec.events.includes(transition.event)) {
      issues.push({
        property_path: pointer('states', index, 'transitions', t, 'event'),
        message: `"${transition.event}" is not an event of ${spec.type} (expected one of: ${spec.events.join(', ')})`,
        code: 'transition:unknown-event',
      });
    }
    (transition.conditions ?? []).forEach((condition, c) => {
      if (!isConditionType(condition.type)) {
        issues.push({
          property_path: pointer('states', index, 'transitions', t, 'conditions', c, 'type'),
          message: `unknown condition type "${condition.type}" (expected one of: ${CONDITION_TYPES.join(', ')})`,
          code: 'condition:unknown-type',
        });
      }
    });
  });
  return issues;
}
