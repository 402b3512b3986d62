/** A Server-Timing header's durations by name (`app`, `temporal`), in milliseconds. */
export function serverTimings(header: string | null): Record<string, number> {
  const timings: Record<string, number> = {};
  for (const metric of (header ?? '').split(',')) {
    const [name, ...params] = metric.trim().split(';');
    const dur = params.map((p) => /^dur=([\d.]+)$/.exec(p.trim())?.[1]).find((d) => d !== undefined);
    if (name && dur !== undefined) timings[name] = Number(dur);
  }
  return timings;
}
