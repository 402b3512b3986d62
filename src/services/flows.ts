import { jsonTextTooDeep } from '../engine/json';
import type { FlowIssue } from '../flow/issues';
import type { FlowLimits } from '../flow/limits';
import { validateFlow, type FlowValidation } from '../flow/validate';
import type { FlowRecord, FlowStatus, FlowStore, NewRevision } from '../store/flow-store';
import { newSid } from '../sids';

/** A definition that cannot be saved: the schema stage failed, or a publish of an invalid flow. */
export class DefinitionRejected extends Error {
  constructor(
    message: string,
    readonly errors: readonly FlowIssue[],
    readonly warnings: readonly FlowIssue[] = [],
  ) {
    super(message);
    this.name = 'DefinitionRejected';
  }
}

export interface SaveFlow {
  readonly friendlyName: string;
  readonly status: FlowStatus;
  /** The Flow JSON text as received. */
  readonly definition: string;
  readonly commitMessage?: string;
  /** The flow's tests (`*.flowtest.yaml` text), our extension. */
  readonly tests?: string | null;
  /** The SID to create it under (flow tests publish subflows under the SIDs their parents name); a new one by default. */
  readonly sid?: string;
}

export interface UpdateFlow {
  readonly status: FlowStatus;
  readonly friendlyName?: string;
  /** Absent: the new revision keeps the latest definition (e.g. to publish a draft). */
  readonly definition?: string;
  readonly commitMessage?: string;
  /** Absent: the new revision keeps the latest tests; null removes them. */
  readonly tests?: string | null;
}

/**
 * The use-cases of flows: every save validates, and is stored as a new revision. A definition
 * that is not Flow JSON is refused; a draft with graph or template errors is stored with
 * `valid: false`; only a valid definition can be published.
 */
export class FlowService {
  constructor(
    private readonly store: FlowStore,
    /** With LIMIT_MAX_JSON_DEPTH: a definition nested deeper is refused before it is parsed. */
    private readonly limits: FlowLimits & { readonly maxJsonDepth: number },
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Validates Flow JSON text without saving it. */
  check(definitionText: string): FlowValidation {
    const bytes = Buffer.byteLength(definitionText, 'utf8');
    if (bytes > this.limits.maxDefinitionBytes) {
      const issue = { property_path: '#', message: `the definition is ${bytes} bytes, over the ${this.limits.maxDefinitionBytes}-byte limit`, code: 'limit:definition-size' };
      return { valid: false, schemaErrors: [issue], errors: [issue], warnings: [] };
    }
    // A stored definition is served, duplicated and executed; one too deep to serialize would
    // make every route of its flow fail, so it is never stored.
    if (jsonTextTooDeep(definitionText, this.limits.maxJsonDepth)) {
      const issue = { property_path: '#', message: `the definition nests arrays or objects more than ${this.limits.maxJsonDepth} levels deep (LIMIT_MAX_JSON_DEPTH)`, code: 'limit:definition-depth' };
      return { valid: false, schemaErrors: [issue], errors: [issue], warnings: [] };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(definitionText);
    } catch (err) {
      const issue = { property_path: '#', message: `the definition is not valid JSON: ${(err as Error).message}`, code: 'schema:json' };
      return { valid: false, schemaErrors: [issue], errors: [issue], warnings: [] };
    }
    return validateFlow(parsed, this.limits);
  }

  async create(accountSid: string, input: SaveFlow): Promise<FlowRecord> {
    return this.store.create(input.sid ?? newSid('FW'), accountSid, this.revision(input.friendlyName, input.status, input.definition, input.commitMessage, input.tests ?? null));
  }

  async update(accountSid: string, sid: string, input: UpdateFlow): Promise<FlowRecord | undefined> {
    const current = await this.store.get(accountSid, sid);
    if (!current) return undefined;
    const definition = input.definition ?? JSON.stringify(current.latest.definition);
    // Tests travel with the flow: a save that does not name them keeps the latest ones.
    const tests = input.tests !== undefined ? input.tests : (current.latest.tests ?? null);
    const next = this.revision(input.friendlyName ?? current.friendlyName, input.status, definition, input.commitMessage, tests);
    return this.store.addRevision(accountSid, sid, next);
  }

  /** A new draft flow with the source's latest definition, as Studio's "Duplicate" does. */
  async duplicate(accountSid: string, sid: string, friendlyName?: string): Promise<FlowRecord | undefined> {
    const source = await this.store.get(accountSid, sid);
    if (!source) return undefined;
    return this.create(accountSid, {
      friendlyName: friendlyName ?? `Copy of ${source.friendlyName}`.slice(0, this.limits.maxFriendlyNameLength),
      status: 'draft',
      definition: JSON.stringify(source.latest.definition),
      commitMessage: `Duplicated from ${source.sid} revision ${source.revision}`,
      tests: source.latest.tests ?? null,
    });
  }

  private revision(friendlyName: string, status: FlowStatus, definition: string, commitMessage: string | undefined, tests: string | null): NewRevision {
    const validation = this.check(definition);
    if (validation.schemaErrors.length > 0) {
      throw new DefinitionRejected('Invalid flow definition', validation.schemaErrors);
    }
    if (status === 'published' && !validation.valid) {
      throw new DefinitionRejected('A flow with errors cannot be published; save it as a draft', validation.errors, validation.warnings);
    }
    return {
      friendlyName,
      status,
      definition,
      commitMessage: commitMessage ?? null,
      valid: validation.valid,
      errors: validation.errors,
      warnings: validation.warnings,
      tests,
      at: this.now().toISOString(),
    };
  }
}
