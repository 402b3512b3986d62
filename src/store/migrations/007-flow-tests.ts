import type { Kysely } from 'kysely';

/**
 * A flow's tests (a `*.flowtest.yaml` text, our extension): kept on each revision, so a revision
 * is the flow and the conversations it was meant to hold, together.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('flow_revisions').addColumn('tests', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('flow_revisions').dropColumn('tests').execute();
}
