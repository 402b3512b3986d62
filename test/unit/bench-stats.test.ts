import { inParallel, latency, perSecond, ratio } from '../../bench/stats';
import { table, type Row } from '../../bench/report';

/** The arithmetic the benchmark figures rest on. */
describe('bench statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 1…100, unsorted
    // Percentile k of 1…100 is k itself, every one of them (the picture draws all 100).
    expect(latency(samples)).toEqual({ n: 100, p50: 50, p99: 99, mean: 50.5, percentiles: Array.from({ length: 100 }, (_, i) => i + 1) });
    expect(latency([7])).toEqual({ n: 1, p50: 7, p99: 7, mean: 7, percentiles: Array.from({ length: 100 }, () => 7) });
    expect(latency(Array.from({ length: 200 }, (_, i) => i + 1)).percentiles.slice(0, 3)).toEqual([2, 4, 6]);
    expect(() => latency([])).toThrow('no samples');
  });

  it('never has more than `concurrency` tasks in flight, and runs each index once', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];
    await inParallel(25, 4, async (i) => {
      inFlight++;
      most = Math.max(most, inFlight);
      seen.push(i);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
    });
    expect(most).toBe(4);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('rounds rates and ratios, and prints a row per figure', () => {
    expect(perSecond(30, 1000)).toBe(30);
    expect(perSecond(1, 3000)).toBe(0.3);
    expect(ratio(29.5, 46.3)).toBe(0.64);
    const rows: Row[] = [{ id: 'x', figure: 'a figure', unit: 'ms', engine: 2, baseline: 1, baselineLabel: 'bare', target: '< 3 ms', met: true }];
    expect(table(rows).split('\n')).toHaveLength(3);
    expect(table(rows)).toContain('2 ms');
  });
});
