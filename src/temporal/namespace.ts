import type { Connection } from '@temporalio/client';
import type { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

const INDEXED_TYPES: Record<SearchAttributeType, temporal.api.enums.v1.IndexedValueType> = {
  TEXT: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

type SearchAttributeKey = ReturnType<typeof defineSearchAttributeKey<SearchAttributeType>>;

const DAY_SECONDS = 24 * 60 * 60;

export interface NamespaceSetup {
  readonly namespace: string;
  readonly retentionDays: number;
  readonly searchAttributes?: readonly SearchAttributeKey[];
}

export interface NamespaceReport {
  readonly created: boolean;
  readonly retentionChanged: boolean;
  readonly addedSearchAttributes: readonly string[];
}

/**
 * Makes the namespace ready for executions: it exists, keeps closed executions for
 * `EXECUTION_RETENTION_DAYS` (the dev server defaults to 24 h), and has our custom search
 * attributes. Idempotent, so every role may call it at start.
 */
export async function ensureNamespace(connection: Connection, setup: NamespaceSetup): Promise<NamespaceReport> {
  const { namespace } = setup;
  const retentionSeconds = setup.retentionDays * DAY_SECONDS;
  const retention = msToTs(retentionSeconds * 1000);
  let created = false;
  let retentionChanged = false;
  const existing = await describe(connection, namespace);
  // Several processes starting together (two APIs, two workers) may each find it missing.
  let fresh = false;
  if (!existing) {
    fresh = true;
    try {
      await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: retention });
      created = true;
    } catch (err) {
      if ((err as { code?: number }).code !== 6 /* gRPC ALREADY_EXISTS: another process registered it */) throw err;
    }
  } else if (Number(existing.config?.workflowExecutionRetentionTtl?.seconds ?? 0) !== retentionSeconds) {
    await connection.workflowService.updateNamespace({ namespace, config: { workflowExecutionRetentionTtl: retention } });
    retentionChanged = true;
  }

  const wanted = setup.searchAttributes ?? SEARCH_ATTRIBUTES;
  // A new namespace reaches the server's namespace cache a few seconds after registration.
  const listed = await untilFound(() => connection.operatorService.listSearchAttributes({ namespace }), fresh ? NEW_NAMESPACE_WAIT_MS : 0);
  const known = { ...listed.customAttributes, ...listed.systemAttributes };
  const missing = wanted.filter((key) => !(key.name in known));
  if (missing.length > 0) {
    await connection.operatorService
      .addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((key) => [key.name, INDEXED_TYPES[key.type]])),
      })
      .catch((err: { code?: number }) => {
        // Another process added them a moment ago.
        if (err.code !== 6 /* ALREADY_EXISTS */) throw err;
      });
  }
  return { created, retentionChanged, addedSearchAttributes: missing.map((k) => k.name) };
}

const NEW_NAMESPACE_WAIT_MS = 30_000;

async function untilFound<T>(call: () => Promise<T>, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if ((err as { code?: number }).code !== 5 /* gRPC NOT_FOUND */ || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function describe(connection: Connection, namespace: string) {
  try {
    return await connection.workflowService.describeNamespace({ namespace });
  } catch (err) {
    if ((err as { code?: number }).code === 5 /* gRPC NOT_FOUND */) return undefined;
    throw err;
  }
}
