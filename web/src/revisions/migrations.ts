/** The migration resources (our extension of the Studio API) and what the dialog derives from them. */

export interface MigrationGroup {
  readonly from_revision: number;
  readonly widget: string;
  readonly widget_type: string | null;
  readonly executions: number;
  readonly mappable: boolean;
  readonly to_widget: string | null;
  readonly reason: string | null;
}

export interface MigrationPlan {
  readonly flow_sid: string;
  readonly to_revision: number;
  readonly mappable: number;
  readonly unmappable: number;
  readonly truncated: boolean;
  readonly groups: readonly MigrationGroup[];
}

export type MigrationCounts = Readonly<Record<'pending' | 'migrated' | 'already' | 'refused' | 'failed', number>>;

export interface MigrationResource {
  readonly sid: string;
  readonly status: 'running' | 'completed';
  readonly total: number;
  readonly counts: MigrationCounts;
  readonly from_revision: number | null;
  readonly widget: string | null;
}

export const migrationsPath = (flowSid: string) => `/v2/Flows/${flowSid}/Migrations`;

/** A group's key in the dialog's selection. */
export const groupKey = (g: Pick<MigrationGroup, 'from_revision' | 'widget'>) => `${g.from_revision}:${g.widget}`;

/**
 * The POSTs that migrate the chosen groups: one for all of them when every mappable group is
 * chosen (the server then takes what is mappable when it runs), else one per group.
 */
export function migrationRequests(plan: MigrationPlan, chosen: ReadonlySet<string>): Array<Record<string, string>> {
  const mappable = plan.groups.filter((g) => g.mappable);
  const picked = mappable.filter((g) => chosen.has(groupKey(g)));
  if (picked.length === 0) return [];
  if (picked.length === mappable.length) return [{}];
  return picked.map((g) => ({ FromRevision: String(g.from_revision), Widget: g.widget }));
}

/** Progress over several migrations: how many executions were asked, and what became of them. */
export function progressOf(migrations: readonly MigrationResource[]): { total: number; done: number } & MigrationCounts {
  const sum = (key: keyof MigrationCounts) => migrations.reduce((n, m) => n + m.counts[key], 0);
  const total = migrations.reduce((n, m) => n + m.total, 0);
  return { total, done: total - sum('pending'), pending: sum('pending'), migrated: sum('migrated'), already: sum('already'), refused: sum('refused'), failed: sum('failed') };
}
