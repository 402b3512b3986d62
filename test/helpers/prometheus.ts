/**
 * A strict parser of Prometheus' text exposition format 0.0.4, enough to prove `/metrics` is
 * well formed: HELP/TYPE lines, samples `name{label="value",…} value [timestamp]` with the
 * format's escapes, every sample in a family whose TYPE came first, no series twice. It throws
 * with the line number on anything else rather than skipping it.
 */
export interface Family {
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help?: string;
}

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** The TYPE'd family it belongs to (`x` for `x_bucket`, `x_sum`, `x_count`). */
  readonly family: string;
}

export interface Exposition {
  readonly families: ReadonlyMap<string, Family>;
  readonly samples: readonly Sample[];
}

const METRIC_NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const HELP = new RegExp(`^# HELP (${METRIC_NAME}) (.*)$`);
const TYPE = new RegExp(`^# TYPE (${METRIC_NAME}) (\\S+)$`);
const SAMPLE = new RegExp(`^(${METRIC_NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
// A label pair, then a comma or the end; values are quoted with \\, \" and \n escapes only.
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/;

export function parsePrometheusText(text: string): Exposition {
  const families = new Map<string, Family>();
  const samples: Sample[] = [];
  const series = new Set<string>();
  // HELP may come before or after its TYPE (prom-client writes it first).
  const helps = new Map<string, string>();
  if (text !== '' && !text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  text.split('\n').forEach((line, index) => {
    const fail = (why: string): never => {
      throw new Error(`line ${index + 1}: ${why}: ${JSON.stringify(line)}`);
    };
    if (line === '') return;
    const help = HELP.exec(line);
    const type = TYPE.exec(line);
    if (help) {
      if (helps.has(help[1]!)) fail('second HELP for one metric');
      helps.set(help[1]!, unescape(help[2]!, false, fail));
      const family = families.get(help[1]!);
      if (family) family.help = helps.get(help[1]!);
    } else if (type) {
      if (!TYPES.has(type[2]!)) fail(`unknown type ${type[2]}`);
      if (families.has(type[1]!)) fail('second TYPE for one metric');
      if (samples.some((s) => s.name === type[1] || s.family === type[1])) fail('TYPE after samples of its metric');
      families.set(type[1]!, { type: type[2] as Family['type'], help: helps.get(type[1]!) });
    } else if (line.startsWith('#')) {
      return; // a comment
    } else {
      const match = SAMPLE.exec(line) ?? fail('not a sample line');
      const labels = parseLabels(match[2] ?? '', fail);
      const value = parseValue(match[3]!) ?? fail('not a float value');
      const family = familyOf(match[1]!, labels, families) ?? fail('sample of no declared TYPE');
      const key = `${match[1]}${JSON.stringify(Object.entries(labels).sort())}`;
      if (series.has(key)) fail('series given twice');
      series.add(key);
      samples.push({ name: match[1]!, labels, value, family });
    }
  });
  return { families, samples };
}

/** The TYPE'd family a sample name belongs to: itself, or a histogram's/summary's `_bucket`/`_sum`/`_count`. */
function familyOf(name: string, labels: Readonly<Record<string, string>>, families: ReadonlyMap<string, Family>): string | undefined {
  if (families.has(name)) return families.get(name)!.type === 'histogram' ? undefined : name;
  const suffix = /_(bucket|sum|count)$/.exec(name);
  const base = suffix ? name.slice(0, -suffix[0].length) : undefined;
  const type = base ? families.get(base)?.type : undefined;
  if (suffix?.[1] === 'bucket') return type === 'histogram' && 'le' in labels ? base : undefined;
  return type === 'histogram' || type === 'summary' ? base : undefined;
}

function parseLabels(text: string, fail: (why: string) => never): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest !== '') {
    const match = LABEL.exec(rest) ?? fail('malformed label set');
    if (match[1]! in labels) fail(`label ${match[1]} given twice`);
    labels[match[1]!] = unescape(match[2]!, true, fail);
    rest = rest.slice(match[0].length);
  }
  return labels;
}

function unescape(text: string, quoted: boolean, fail: (why: string) => never): string {
  return text.replace(/\\(.?)/g, (_, c: string) => (c === 'n' ? '\n' : c === '\\' || (quoted && c === '"') ? c : fail(`bad escape \\${c}`)));
}

/**
 * Values are what Go's strconv.ParseFloat reads (Prometheus parses them with it): decimals,
 * and NaN / Inf / Infinity in any case, a sign on the infinities only. prom-client writes `Nan`.
 */
function parseValue(text: string): number | undefined {
  if (/^nan$/i.test(text)) return NaN;
  const infinity = /^([-+]?)inf(inity)?$/i.exec(text);
  if (infinity) return infinity[1] === '-' ? -Infinity : Infinity;
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? Number(text) : undefined;
}

/**
 * The sum over the series of `name` whose labels include `labels` (0 when none is written yet:
 * a labelled counter has no series until its first increment).
 */
export function sampleValue(exposition: Exposition, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const found = exposition.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found.reduce((sum, s) => sum + s.value, 0);
}
