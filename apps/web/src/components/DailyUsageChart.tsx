import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { chartColors } from '../lib/colors';
import { formatCompact, formatNumber, formatShortDate } from '../lib/format';

export interface DailyPoint {
  day: string;
  sessions: number;
  events: number;
  enrichments: number;
}

type Metric = 'sessions' | 'events' | 'enrichments';

interface Props {
  days: readonly DailyPoint[];
  metric: Metric;
  label: string;
  color: string;
}

const dayLabel = (day: string) => formatShortDate(`${day}T00:00:00Z`);

/**
 * One metric per chart: events run in thousands while sessions run in tens, so a shared axis would
 * flatten the small ones to nothing.
 */
export function DailyUsageChart({ days, metric, label, color }: Props) {
  const total = days.reduce((sum, d) => sum + d[metric], 0);
  const peak = days.reduce((best, d) => (d[metric] > (best?.[metric] ?? -1) ? d : best), days[0]);
  const summary =
    peak && peak[metric] > 0
      ? `${label}: ${formatNumber(total)} this period, busiest day ${dayLabel(peak.day)} with ${formatNumber(peak[metric])}.`
      : `${label}: none recorded this period.`;
  return (
    <figure className="chart" aria-label={summary}>
      <figcaption className="chart__caption">
        <span>{label} per day</span>
        <span className="chart__total">{formatNumber(total)} total</span>
      </figcaption>
      <div className="chart__plot" aria-hidden="true">
        <ResponsiveContainer width="100%" height={150}>
          <BarChart data={[...days]} margin={{ top: 8, right: 8, left: 0, bottom: 0 }} accessibilityLayer={false}>
            <CartesianGrid vertical={false} stroke={chartColors.grid} />
            <XAxis dataKey="day" tickFormatter={dayLabel} tick={{ fontSize: 11 }} minTickGap={24} tickLine={false} />
            <YAxis
              width={40}
              tickFormatter={(v: number) => formatCompact(v)}
              tick={{ fontSize: 11 }}
              allowDecimals={false}
              axisLine={false}
              tickLine={false}
            />
            <Tooltip
              cursor={{ fill: chartColors.cursor }}
              labelFormatter={(day) => dayLabel(String(day))}
              formatter={(value) => [formatNumber(Number(value)), label]}
            />
            <Bar dataKey={metric} fill={color} radius={[3, 3, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
