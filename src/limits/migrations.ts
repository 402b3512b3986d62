/** Migrations of waiting executions to a newer revision: named limits, set by `LIMIT_MIGRATION_*` variables. */
export interface MigrationLimits {
  /** Executions one dry run lists and one migration takes on. */
  readonly maxExecutions: number;
  /** Executions asked to switch at once. */
  readonly concurrency: number;
}

export const DEFAULT_MIGRATION_LIMITS: MigrationLimits = Object.freeze({
  maxExecutions: 10_000,
  concurrency: 10,
});
