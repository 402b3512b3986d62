import type { defineSearchAttributeKey } from '@temporalio/common';

/**
 * Temporal visibility queries (List Filters), built here and only here, so that no value is ever
 * pasted into one unchecked.
 *
 * How Temporal reads a value (server 1.32, the dev server's; from temporalio/sqlparser token.go,
 * temporalio/temporal common/sqlquery/query.go and visibility/store/{sql,elasticsearch}; the
 * SQLite cases tried on the dev server, and test/temporal/visibility-query.test.ts keeps what is
 * accepted honest there):
 * - The query is parsed by a MySQL-dialect SQL parser: a string is '…' or "…", and inside it
 *   `''` and `\'` both stand for `'`, while `\0 \b \n \r \t \Z \\ \" \'` are escapes and any
 *   other `\x` is `x`. So a bare `'` in a value ends the literal: "malformed SQL query".
 * - The parsed value is then re-read by `sqlquery.ParseValue`, which strips every leading and
 *   trailing `'`: `'it'''` matches `it`, not `it'`.
 * - The SQL stores (SQLite for the dev server, PostgreSQL, MySQL) write the value back into SQL
 *   with `'`→`''` and backslash escapes for `" \ \b \n \r \t`, which SQLite and PostgreSQL read
 *   literally: values with those never match. A NUL fails the SQLite query (UNAVAILABLE).
 * - Elasticsearch (by default) re-encodes the value MySQL-style (`'`→`\'`, …) without decoding
 *   it again: a value with `' " \` or those controls never matches there.
 * No quoting gives the right answer on every store for a value holding `'`, `"`, `\` or a C0
 * control character, and a lone surrogate is not UTF-8 (gRPC would send U+FFFD instead). Such
 * values are refused; everything else (`` ` % _ * ``, DEL, C1, any other Unicode) is taken
 * literally inside single quotes on every store.
 */
export type VisibilityQuery = string & { readonly __visibilityQuery: unique symbol };

export class UnsafeVisibilityValue extends Error {
  constructor(readonly value: string) {
    super(`${JSON.stringify(value)} cannot be put in a Temporal visibility query: it holds ', ", \\, a control character or a lone surrogate`);
    this.name = 'UnsafeVisibilityValue';
  }
}

/** `' " \`, C0 controls, and (`\p{Cs}` with the u flag) surrogates that are not half of a pair. */
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const UNREPRESENTABLE = /['"\\\u0000-\u001f\p{Cs}]/u;

/** A string value as a visibility query literal; throws UnsafeVisibilityValue when none is exact. */
export function literal(value: string): string {
  if (UNREPRESENTABLE.test(value)) throw new UnsafeVisibilityValue(value);
  return `'${value}'`;
}

/** Temporal's own keyword attributes that we filter on, or one of ours (workflows/search-attributes). */
export type KeywordField = 'WorkflowId' | 'WorkflowType' | 'TaskQueue' | ReturnType<typeof defineSearchAttributeKey<'KEYWORD'>>;
export type TimeField = 'StartTime' | 'CloseTime';
export type ExecutionStatusName = 'Running' | 'Completed' | 'Failed' | 'Canceled' | 'Terminated' | 'ContinuedAsNew' | 'TimedOut';

function fieldName(field: KeywordField | TimeField): string {
  return typeof field === 'string' ? field : field.name;
}

function clause(text: string): VisibilityQuery {
  return text as VisibilityQuery;
}

/** `Field = 'value'`. */
export function keywordIs(field: KeywordField, value: string): VisibilityQuery {
  return clause(`${fieldName(field)} = ${literal(value)}`);
}

/** `Field < n` for an integer attribute (a number needs no quoting). */
export function intBelow(field: ReturnType<typeof defineSearchAttributeKey<'INT'>>, n: number): VisibilityQuery {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${n} is not an integer`);
  return clause(`${field.name} < ${n}`);
}

export function statusIs(status: ExecutionStatusName): VisibilityQuery {
  return clause(`ExecutionStatus = ${literal(status)}`);
}

export function statusIsNot(status: ExecutionStatusName): VisibilityQuery {
  return clause(`ExecutionStatus != ${literal(status)}`);
}

/** `Field >= time`: at or after. */
export function timeFrom(field: TimeField, time: Date): VisibilityQuery {
  return clause(`${fieldName(field)} >= ${literal(time.toISOString())}`);
}

/** `Field < time`: strictly before. */
export function timeBefore(field: TimeField, time: Date): VisibilityQuery {
  return clause(`${fieldName(field)} < ${literal(time.toISOString())}`);
}

/** All of the clauses (each parenthesised, so an OR inside one cannot leak out). */
export function allOf(...clauses: readonly VisibilityQuery[]): VisibilityQuery {
  return clause(clauses.map((c) => `(${c})`).join(' AND '));
}
