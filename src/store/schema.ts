/**
 * Table types of the store, for Kysely. Each migration that adds a table adds its type here.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface StoreSchema {}
