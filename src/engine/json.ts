/** JSON values: everything the flow context holds is plain data, so it survives history and continue-as-new. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A deep copy of plain JSON data. `structuredClone` does not exist in the workflow sandbox. */
export function cloneJson<T extends JsonValue>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
