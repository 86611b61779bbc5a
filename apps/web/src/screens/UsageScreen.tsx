import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { ChartPlaceholder } from '../components/ChartPlaceholder';
import { DailyUsageTable } from '../components/DailyUsageTable';
import { Meter } from '../components/Meter';
import { NavLink } from '../components/NavLink';
import { PageHeading } from '../components/PageHeading';
import { Panel } from '../components/Panel';
import { QueryState } from '../components/QueryState';
import { chartColors } from '../lib/colors';
import { alignFirstDay } from '../lib/daily-usage';
import { formatDate, formatPeriod } from '../lib/format';
import { useTRPC } from '../trpc';

// The chart library is most of the bundle; it loads while the meters are already on screen.
const DailyUsageChart = lazy(() =>
  import('../components/DailyUsageChart').then((m) => ({ default: m.DailyUsageChart })),
);

const METERS = [
  { key: 'sessions', label: 'Sessions', hint: 'Coding-assistant sessions recorded this period' },
  { key: 'events', label: 'Events', hint: 'Memory events captured this period' },
  { key: 'enrichments', label: 'Enrichments', hint: 'AI enrichments run this period' },
  { key: 'storage', label: 'Storage', hint: 'Project memory stored now' },
] as const;

export function UsageScreen() {
  const trpc = useTRPC();
  const usage = useQuery(trpc.usage.get.queryOptions({}));
  const daily = useQuery(trpc.usage.daily.queryOptions({}));
  const plans = useQuery(trpc.plans.list.queryOptions({}));
  const planName = plans.data?.plans.find((p) => p.id === usage.data?.plan)?.name ?? usage.data?.plan;
  // The charts and the table tell the same totals as the meters above them.
  const days =
    daily.data && usage.data
      ? alignFirstDay(daily.data.days, {
          sessions: usage.data.usage.sessions.used,
          events: usage.data.usage.events.used,
          enrichments: usage.data.usage.enrichments.used,
        })
      : daily.data?.days;

  return (
    <>
      <PageHeading
        subtitle={
          usage.data && (
            <>
              {planName} plan · current period {formatPeriod(usage.data.period.start, usage.data.period.end)} · resets
              on {formatDate(usage.data.period.end)}
            </>
          )
        }
      >
        Usage
      </PageHeading>

      <Panel
        title="This period"
        actions={
          <NavLink to="/billing/plan" className="btn btn--ghost btn--small">
            Compare plans
          </NavLink>
        }
      >
        <QueryState what="usage" isPending={usage.isPending} error={usage.error} onRetry={() => usage.refetch()}>
          {usage.data && (
            <div className="meters">
              {METERS.map((m) => (
                <Meter
                  key={m.key}
                  label={m.label}
                  hint={m.hint}
                  used={usage.data.usage[m.key].used}
                  limit={usage.data.usage[m.key].limit}
                  unit={m.key === 'storage' ? 'bytes' : 'count'}
                />
              ))}
            </div>
          )}
        </QueryState>
      </Panel>

      <Panel title="Daily usage" description="Per day over the current billing period (UTC).">
        <QueryState
          what="daily usage"
          isPending={daily.isPending}
          error={daily.error}
          onRetry={() => daily.refetch()}
          minHeight={200}
        >
          {days && (
            <>
              <Suspense fallback={<ChartPlaceholder height={176} />}>
                <div className="charts">
                  <DailyUsageChart days={days} metric="sessions" label="Sessions" color={chartColors.sessions} />
                  <DailyUsageChart days={days} metric="events" label="Events" color={chartColors.events} />
                  <DailyUsageChart
                    days={days}
                    metric="enrichments"
                    label="Enrichments"
                    color={chartColors.enrichments}
                  />
                </div>
              </Suspense>
              <DailyUsageTable days={days} />
            </>
          )}
        </QueryState>
      </Panel>
    </>
  );
}
