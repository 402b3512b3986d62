/**
 * Typed readers for widget properties: the handful of checks the widgets need, in plain
 * TypeScript, with zod's results.
 *
 * Why not zod? Widget code is part of the workflow bundle, and Temporal evaluates that bundle
 * anew for every workflow in a worker's cache (each gets its own module instances; sharing them
 * is impossible, as the SDK deep-freezes shared modules and zod writes into its prototypes).
 * Measured: merely importing zod (or zod/mini) in workflow code costs ~550 KiB of worker memory
 * per cached workflow, against ~370 KiB for a workflow importing nothing. Flows are validated
 * when they are saved, by the zod specs in src/flow, which stay as they are (they run in the API
 * process); at run time a widget only has to read its properties as before. These combinators
 * give what the zod schemas give: the same values, objects that are loose (unknown keys pass
 * through, as `z.looseObject`), no coercion, and issues with zod's paths and wording ("Invalid
 * input: expected string, received number"). No widget writes a schema with them by hand: each
 * reader is generated from the widget's zod spec into `readers.generated.ts` (`npm run
 * generate:widgets`), and test/widgets/drift.test.ts keeps the two in step.
 *
 * @example
 * const schema = object({ url: string.default(''), timeout: union(string, number).optional() });
 * type Props = Infer<typeof schema>; // { url: string; timeout?: string | number } & { [key: string]: unknown }
 */

/** One problem: where it is (`['variables', 0, 'key']`) and what it is. */
export interface Issue {
  readonly path: Array<string | number>;
  readonly message: string;
}

/** How an object treats its key when it is absent: an error, left out, or the default. */
type Absence = 'required' | 'optional' | 'default';

/**
 * Reads one value. Widget modules build their readers when they load (once per workflow); they
 * are a few small objects and closures, and the common ones (`string.optional()`) are shared.
 */
export class Reader<T, A extends Absence = 'required'> {
  private optionalReader?: Reader<T | undefined, 'optional'>;

  constructor(
    /** Reads `value`, adding to `issues` what is wrong with it (the result is then meaningless). */
    readonly read: (value: unknown, issues: Issue[]) => T,
    readonly absence: A = 'required' as A,
  ) {}

  /** Also `undefined`; in an object an absent key stays absent. (One reader per base, shared.) */
  optional(): Reader<T | undefined, 'optional'> {
    return (this.optionalReader ??= new Reader((value, issues) => (value === undefined ? undefined : this.read(value, issues)), 'optional'));
  }

  /** `undefined` (an absent key) reads as a fresh shallow copy of `value`, which is not checked (as zod). */
  default(value: T): Reader<T, 'default'> {
    return new Reader((input, issues) => (input === undefined ? copy(value) : this.read(input, issues)), 'default');
  }

  /**
   * At least `min` characters (code points), else `message`. As zod's check it also runs when
   * the value is of the wrong type but has a `length` (an array): both issues are reported.
   */
  min(this: Reader<string, A>, min: number, message: string): Reader<string, A> {
    return new Reader((value, issues) => {
      const result = this.read(value, issues);
      // Code points are counted only when UTF-16 units leave it in doubt (between min and 2·min).
      const length: unknown = typeof value === 'string' && value.length < 2 * min ? [...value].length : (value as { length?: unknown } | null | undefined)?.length;
      if (length !== undefined && !((length as number) >= min)) issues.push({ path: [], message });
      return result;
    }, this.absence);
  }
}

/** What a reader reads. */
export type Infer<R> = R extends Reader<infer T, Absence> ? T : never;

/** A reader of one JSON type; unions are made of these. */
export class TypeReader<T> extends Reader<T> {
  constructor(readonly is: (value: unknown) => value is T, expected: string) {
    super((value, issues) => {
      if (!is(value)) issues.push(invalidType(expected, value));
      return value as T;
    });
  }
}

export const string = new TypeReader((v): v is string => typeof v === 'string', 'string');
/** A finite number (zod refuses NaN and ±Infinity). */
export const number = new TypeReader((v): v is number => typeof v === 'number' && Number.isFinite(v), 'number');
/** A whole number (zod's `int()`: a safe integer). */
export const integer = new TypeReader((v): v is number => typeof v === 'number' && Number.isSafeInteger(v), 'int');
export const boolean = new TypeReader((v): v is boolean => typeof v === 'boolean', 'boolean');
export const nullValue = new TypeReader((v): v is null => v === null, 'null');
/** Any value, as it is (a spec property with no JSON type, e.g. a free-form JSON object). */
export const unknown = new Reader<unknown>((value) => value);

/**
 * Any of the given types; none is the single issue "Invalid input" (zod's invalid_union). Options
 * are plain type readers, which pass or fail outright: that is where zod's union is this simple.
 */
export function union<R extends ReadonlyArray<TypeReader<unknown>>>(...options: R): Reader<Infer<R[number]>> {
  return new Reader((value, issues) => {
    if (!options.some((option) => option.is(value))) issues.push({ path: [], message: 'Invalid input' });
    return value as Infer<R[number]>;
  });
}

/** An array of `item`s, read into a new array; issues name the item's index. */
export function array<T>(item: Reader<T, Absence>): Reader<T[]> {
  return new Reader((value, issues) => {
    if (!Array.isArray(value)) return fail(issues, 'array', value);
    const result = new Array<T>(value.length);
    for (let i = 0; i < value.length; i++) result[i] = readAt(i, item, value[i], issues);
    return result;
  });
}

export type Shape = Readonly<Record<string, Reader<unknown, Absence>>>;

type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends Reader<unknown, 'optional'> ? K : never }[keyof S];

/** What an object reader of `S` reads: its keys (the optional ones optional), and any others. */
export type InferShape<S extends Shape> = { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> } & {
  [key: string]: unknown;
};

/**
 * A loose object (zod's `looseObject`): a new object with the shape's keys read, in the shape's
 * order, then every other key of the input as it is (but never `__proto__`).
 */
export function object<S extends Shape>(shape: S): Reader<InferShape<S>> {
  return new Reader((value, issues) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(issues, 'object', value);
    const input = value as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const key in shape) {
      const reader = shape[key]!;
      const present = key in input;
      if (!present && reader.absence === 'optional') continue;
      const start = issues.length;
      const read = readAt(key, reader, input[key], issues);
      if (present || reader.absence === 'default') result[key] = read;
      else if (issues.length === start) issues.push(invalidType('nonoptional', undefined, key));
    }
    for (const key in input) if (key !== '__proto__' && !Object.hasOwn(shape, key)) result[key] = input[key];
    return result as InferShape<S>;
  });
}

/** `reader` on the value at `key`, its issues moved under `key`. */
function readAt<T>(key: string | number, reader: Reader<T, Absence>, value: unknown, issues: Issue[]): T {
  const start = issues.length;
  const result = reader.read(value, issues);
  for (let i = start; i < issues.length; i++) issues[i]!.path.unshift(key);
  return result;
}

function fail<T>(issues: Issue[], expected: string, value: unknown): T {
  issues.push(invalidType(expected, value));
  return value as T;
}

/** zod's wording for a value of the wrong type. */
function invalidType(expected: string, value: unknown, ...path: string[]): Issue {
  return { path, message: `Invalid input: expected ${expected}, received ${typeName(value)}` };
}

/** How zod names a value's type: `null`, `array`, `NaN`, `Infinity`, a class name, else `typeof`. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'object' && Object.getPrototypeOf(value) !== Object.prototype && 'constructor' in value && typeof value.constructor === 'function') {
    return value.constructor.name;
  }
  return typeof value;
}

/** zod's shallow clone of a default: a fresh array or plain object per read. */
function copy<T>(value: T): T {
  if (Array.isArray(value)) return [...(value as unknown[])] as T;
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) return { ...value };
  return value;
}
