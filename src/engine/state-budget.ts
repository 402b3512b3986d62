import type { FlowContext } from './context';
import { applyChanges, type ExecutionState, type Step, type StepChanges } from './state';
import type { FailureReason } from './errors';
import { cloneJson, type JsonValue } from './json';

/**
 * Admits a step's changes into the state's budget before they are applied (`maxBytes`:
 * LIMIT_MAX_EXECUTION_STATE_BYTES), folding the oldest steps when needed. Returns the reason to
 * end the execution instead when the context with these changes would not fit even with every
 * step folded; the changes are then not applied, so the state that is kept always fits.
 */
export function admitChanges(state: ExecutionState, changes: StepChanges, widget: string, maxBytes: number): FailureReason | undefined {
  if (maxBytes >= Number.MAX_SAFE_INTEGER) return undefined; // pinned before the limit existed
  const ledger = ledgerOf(state);
  const admission = ledger.price(changes);
  if (ledger.total() + admission.cost > maxBytes) {
    // Fold down to three quarters of the limit, so folding happens once in a while, not every step.
    ledger.foldOldest(state, Math.floor((maxBytes * 3) / 4) - admission.cost);
  }
  if (ledger.total() + admission.cost > maxBytes) {
    return {
      code: 'limit:state-size',
      message: `Widget "${widget}" would make the execution's context larger than ${maxBytes} bytes, the most an execution keeps (LIMIT_MAX_EXECUTION_STATE_BYTES)`,
      widget,
    };
  }
  ledger.commit(admission);
  return undefined;
}

/** How many leading steps of an execution no longer keep their own context. */
function foldedSteps(state: ExecutionState): number {
  return state.folded ?? 0;
}

/** UTF-8 bytes of a value's JSON text. */
function jsonBytes(value: JsonValue | object | undefined): number {
  if (value === undefined) return 0;
  const text = JSON.stringify(value);
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // 2 bytes below U+0800, 3 above; a surrogate pair's two units make 4.
    if (c >= 0x80) bytes += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}

const ledgers = new WeakMap<ExecutionState, Ledger>();

/** Built from the state the first time (after a start or a continue-as-new), then kept current. */
function ledgerOf(state: ExecutionState): Ledger {
  let ledger = ledgers.get(state);
  if (!ledger) ledgers.set(state, (ledger = new Ledger(state)));
  return ledger;
}

/** What admitting a step's changes would cost, and the per-key sizes to commit. */
interface Admission {
  readonly cost: number;
  readonly contextDelta: number;
  readonly stepBytes: number;
  readonly widget?: readonly [string, number];
  readonly variables: ReadonlyArray<readonly [string, number]>;
}

/** Room for a step's SID, names, type and date, beside its changes. */
const STEP_OVERHEAD_BYTES = 400;

class Ledger {
  private initialBytes: number;
  private contextBytes: number;
  private readonly widgets = new Map<string, number>();
  private readonly variables = new Map<string, number>();
  /** Bytes of each step from `state.folded` on, in order. */
  private readonly steps: number[];
  private stepTotal: number;

  constructor(state: ExecutionState) {
    this.initialBytes = jsonBytes(state.initial);
    this.contextBytes = jsonBytes(state.context);
    for (const [name, outputs] of Object.entries(state.context.widgets)) this.widgets.set(name, jsonBytes(outputs));
    for (const [key, value] of Object.entries(state.context.flow.variables)) this.variables.set(key, jsonBytes(value));
    // Folded steps stay as skeletons; they count, but cannot shrink further.
    this.stepTotal = state.steps.reduce((sum, step) => sum + jsonBytes(step), 0);
    this.steps = state.steps.slice(foldedSteps(state)).map((step) => jsonBytes(step));
  }

  total(): number {
    return this.initialBytes + this.contextBytes + this.stepTotal;
  }

  price(changes: StepChanges): Admission {
    const widget = changes.widget ? ([changes.widget.name, jsonBytes(changes.widget.outputs)] as const) : undefined;
    const variables = Object.entries(changes.variables ?? {}).map(([key, value]) => [key, jsonBytes(value)] as const);
    let contextDelta = widget ? widget[1] - (this.widgets.get(widget[0]) ?? 0) : 0;
    for (const [key, bytes] of variables) contextDelta += bytes - (this.variables.get(key) ?? 0);
    const stepBytes = STEP_OVERHEAD_BYTES + (widget?.[1] ?? 0) + variables.reduce((sum, [, bytes]) => sum + bytes, 0);
    return { cost: contextDelta + stepBytes, contextDelta, stepBytes, ...(widget ? { widget } : {}), variables };
  }

  commit(admission: Admission): void {
    this.contextBytes += admission.contextDelta;
    this.stepTotal += admission.stepBytes;
    this.steps.push(admission.stepBytes);
    if (admission.widget) this.widgets.set(...admission.widget);
    for (const [key, bytes] of admission.variables) this.variables.set(key, bytes);
  }

  /** Folds the oldest steps' changes into `initial` until the total is at most `target` or none are left. */
  foldOldest(state: ExecutionState, target: number): void {
    let folded = foldedSteps(state);
    const base = cloneJson(state.initial);
    // `initial` grows towards the current context as it absorbs changes: at most by what they add.
    let baseGrowth = 0;
    while (this.total() + baseGrowth > target && folded < state.steps.length) {
      const step = state.steps[folded]!;
      applyChanges(base, step.changes);
      baseGrowth += jsonBytes(step.changes);
      const skeleton = stripped(step);
      state.steps[folded] = skeleton;
      this.stepTotal -= this.steps.shift()! - jsonBytes(skeleton);
      folded++;
    }
    state.initial = base;
    state.folded = folded;
    this.initialBytes = jsonBytes(base);
  }
}

/** A step without what made its context: its identity, transition and error stay (the Steps list and the events read them). */
function stripped(step: Step): Step {
  const { changes: _changes, subflow, ...rest } = step;
  return { ...rest, changes: {}, ...(subflow ? { subflow: { flowSid: subflow.flowSid, revision: subflow.revision, initial: bare(subflow.initial), steps: subflow.steps.map(stripped), folded: subflow.steps.length } } : {}) };
}

/** A context with its identity only: what a folded subflow run keeps of its own. */
function bare(context: FlowContext): FlowContext {
  const { flow_sid, sid, channel } = context.flow;
  return { flow: { flow_sid, sid, channel, variables: {} }, trigger: {}, contact: context.contact, widgets: {} };
}
