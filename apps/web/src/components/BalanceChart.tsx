import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { chartColors } from '../lib/colors';
import { formatCompact, formatDateTime, formatNumber, formatShortDate } from '../lib/format';
import { EmptyState } from './EmptyState';

const timeFmt = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
const secondsFmt = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const formatTime = (t: number) => timeFmt.format(new Date(t));
const formatSeconds = (t: number) => secondsFmt.format(new Date(t));

interface Point {
  at: string;
  balance: number;
}

/** Credit balance over time as steps: the balance jumps at each transaction, it does not glide. */
export function BalanceChart({ points }: { points: readonly Point[] }) {
  if (points.length === 0) {
    return <EmptyState title="No balance changes yet">Buy a pack and the balance appears here.</EmptyState>;
  }
  const data = points.map((p) => ({ t: new Date(p.at).getTime(), balance: p.balance }));
  // A single point would draw nothing; extend it to now so the level is visible.
  const last = data[data.length - 1]!;
  if (last.t < Date.now()) data.push({ t: Date.now(), balance: last.balance });
  const latest = points[points.length - 1]!;
  // Within a day or two, dates alone would label every tick the same; show times instead.
  const span = data[data.length - 1]!.t - data[0]!.t;
  const tick =
    span < 3_600_000
      ? formatSeconds
      : span < 2 * 86_400_000
        ? formatTime
        : (t: number) => formatShortDate(new Date(t).toISOString());
  return (
    <figure
      className="chart"
      aria-label={`Credit balance over time: ${points.length} changes, now ${formatNumber(latest.balance)} tokens.`}
    >
      <div className="chart__plot" aria-hidden="true">
        <ResponsiveContainer width="100%" height={200}>
          <AreaChart data={data} margin={{ top: 8, right: 24, left: 0, bottom: 0 }}>
            <CartesianGrid vertical={false} stroke={chartColors.grid} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={['dataMin', 'dataMax']}
              tickFormatter={tick}
              tick={{ fontSize: 11 }}
              minTickGap={32}
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
