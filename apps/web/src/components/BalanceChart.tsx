import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { lastDaysRange } from '../lib/chart-range';
import { chartColors } from '../lib/colors';
import { formatCompact, formatDateTime, formatNumber, formatShortDate } from '../lib/format';
import { EmptyState } from './EmptyState';

interface Point {
  at: string;
  balance: number;
}

const dayTick = (t: number) => formatShortDate(new Date(t).toISOString());

/**
 * Credit balance over the last `days` days as steps: the balance jumps at each transaction, it does not
 * glide. The axis spans the whole window the title names, in days.
 */
export function BalanceChart({ points, days }: { points: readonly Point[]; days: number }) {
  if (points.length === 0) {
    return <EmptyState title="No balance changes yet">Buy a pack and the balance appears here.</EmptyState>;
  }
  const now = Date.now();
  const { domain, ticks } = lastDaysRange(days, now);
  const data = points.map((p) => ({ t: new Date(p.at).getTime(), balance: p.balance }));
  // The level since the last change runs on to today.
  const latest = points[points.length - 1]!;
  if (data[data.length - 1]!.t < now) data.push({ t: now, balance: latest.balance });
  return (
    <figure
      className="chart"
      aria-label={`Credit balance over the last ${days} days: ${points.length} changes, now ${formatNumber(latest.balance)} tokens.`}
    >
      {/* The figure's label says it all for screen readers; the drawing is neither read nor focusable. */}
      <div className="chart__plot" aria-hidden="true">
        <ResponsiveContainer width="100%" height={200}>
          <AreaChart data={data} margin={{ top: 8, right: 24, left: 0, bottom: 0 }} accessibilityLayer={false}>
            <CartesianGrid vertical={false} stroke={chartColors.grid} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={domain}
              allowDataOverflow
              ticks={ticks}
              tickFormatter={dayTick}
              tick={{ fontSize: 11 }}
              minTickGap={16}
              tickLine={false}
            />
            <YAxis
              width={44}
              tickFormatter={(v: number) => formatCompact(v)}
              tick={{ fontSize: 11 }}
              axisLine={false}
              tickLine={false}
            />
            <Tooltip
              labelFormatter={(t) => formatDateTime(new Date(Number(t)).toISOString())}
              formatter={(value) => [`${formatNumber(Number(value))} tokens`, 'Balance']}
            />
            <Area
              type="stepAfter"
              dataKey="balance"
              stroke={chartColors.balance}
              fill={chartColors.balance}
              fillOpacity={0.15}
              strokeWidth={2}
              isAnimationActive={false}
            />
          </AreaChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
