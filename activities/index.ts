/**
 * The execution's I/O: every side effect a widget needs (send a message, call an HTTP endpoint,
 * run a function) is an activity built here from its dependencies. Workflow code imports only
 * the type.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ActivityDependencies {}

export function createActivities(_deps: ActivityDependencies) {
  return {};
}

export type Activities = ReturnType<typeof createActivities>;
