import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { DayRow } from './api';
import { fillDays } from './stats';
import { CHART_WIDTH } from './chart';

const SERIES = ['started', 'ended'];

/** Executions started and ended per UTC day, the days without any shown as zeros. */
export function DailyChart({ days }: { days: readonly DayRow[] }) {
  const data = fillDays(days);
  return (
    <section className="insights-daily" aria-label="Executions per day" data-testid="daily-chart">
      <h3>Per day (UTC)</h3>
      {data.length === 0 ? (
        <p className="empty">No executions in this range.</p>
      ) : (
        <BarChart width={CHART_WIDTH} height={180} data={data} margin={{ top: 8, right: 8, bottom: 0, left: -20 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="date" tick={{ fontSize: 11 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
          <Tooltip />
          {/* Started before Ended, as the bars stand (the default sorts by name). */}
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={(item) => SERIES.indexOf(String(item.dataKey))} />
          <Bar dataKey="started" name="Started" fill="#2459d6" isAnimationActive={false} />
          <Bar dataKey="ended" name="Ended" fill="#1b7f4b" isAnimationActive={false} />
        </BarChart>
      )}
    </section>
  );
}
