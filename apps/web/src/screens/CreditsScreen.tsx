import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { ChartPlaceholder } from '../components/ChartPlaceholder';
import { AutoRechargePanel } from '../components/AutoRechargePanel';
import { BalanceSummary } from '../components/BalanceSummary';
import { CreditCheckoutBanner } from '../components/CreditCheckoutBanner';
import { LowCreditAlertPanel } from '../components/LowCreditAlertPanel';
import { NavLink } from '../components/NavLink';
import { OwnerNotice } from '../components/OwnerNotice';
import { PackGrid } from '../components/PackGrid';
import { PageHeading } from '../components/PageHeading';
import { Panel } from '../components/Panel';
import { QueryState } from '../components/QueryState';
import { TransactionHistory } from '../components/TransactionHistory';
import { useBillingRole } from '../hooks/useBillingRole';
import { useCreditCheckoutReturn } from '../hooks/useCreditCheckout';
import { useTRPC } from '../trpc';

// The chart library is most of the bundle; it loads while the rest of the page is already usable.
const BalanceChart = lazy(() => import('../components/BalanceChart').then((m) => ({ default: m.BalanceChart })));

const OWNER_NOTICE_ID = 'credits-owner-notice';
const PLAN_NOTICE_ID = 'credits-plan-notice';
const HISTORY_DAYS = 90;

export function CreditsScreen() {
  const trpc = useTRPC();
  const { canManage, role } = useBillingRole();
  const queryClient = useQueryClient();
  const checkoutReturn = useCreditCheckoutReturn(() =>
    queryClient.invalidateQueries({ queryKey: trpc.credits.pathKey() }),
  );
  const summary = useQuery(trpc.credits.summary.queryOptions({}));
  const catalog = useQuery(trpc.plans.list.queryOptions({}));
  const history = useQuery(trpc.credits.history.queryOptions({ days: HISTORY_DAYS }));
  const me = useQuery(trpc.account.me.queryOptions({}));
  const plan = catalog.data?.plans.find((p) => p.id === me.data?.account.plan);
  const creditsBlocked = plan !== undefined && !plan.creditsAllowed;
  const canBuy = canManage && !creditsBlocked;
  // Every reason that applies, so a screen reader hears them on the disabled controls as they are shown.
  const reasonId =
    [canManage ? null : OWNER_NOTICE_ID, creditsBlocked ? PLAN_NOTICE_ID : null].filter(Boolean).join(' ') || undefined;

  return (
    <>
      <PageHeading subtitle="Tokens beyond your plan's monthly allowance. Credits never expire.">Credits</PageHeading>
      {!canManage && <OwnerNotice id={OWNER_NOTICE_ID} role={role} />}
      {creditsBlocked && <PlanGate id={PLAN_NOTICE_ID} planName={plan.name} />}
      <CreditCheckoutBanner result={checkoutReturn} />

      <Panel title="Balance">
        <QueryState
          what="your balance"
          isPending={summary.isPending}
          error={summary.error}
          onRetry={() => summary.refetch()}
        >
          {summary.data && <BalanceSummary summary={summary.data} />}
        </QueryState>
      </Panel>

      <Panel
        title="Buy credits"
        description="You confirm the price and the card before anything is charged. Prices include VAT where it applies."
      >
        <QueryState
          what="credit packs"
          isPending={catalog.isPending}
          error={catalog.error}
          onRetry={() => catalog.refetch()}
        >
          {catalog.data && (
            <PackGrid packs={catalog.data.packs} summary={summary.data} canBuy={canBuy} reasonId={reasonId} />
          )}
        </QueryState>
      </Panel>

      <Panel
        title="Auto-recharge"
        description="Keeps work running when the balance runs low, within a spending limit you set for each billing period."
      >
        <QueryState
          what="auto-recharge settings"
          isPending={summary.isPending || catalog.isPending}
          error={summary.error ?? catalog.error}
          onRetry={() => {
            summary.refetch();
            catalog.refetch();
          }}
        >
          {summary.data && catalog.data && (
            <AutoRechargePanel
              summary={summary.data}
              packs={catalog.data.packs}
              canManage={canBuy}
              ownerNoticeId={reasonId}
            />
          )}
        </QueryState>
      </Panel>

      <Panel
        title="Low-credit alert"
        description="Tells your app (a credits.low webhook) when credits plus the allowance left run low. The owner or an admin sets it."
      >
        <LowCreditAlertPanel canManage={role === 'owner' || role === 'admin'} />
      </Panel>

      <Panel title="Balance over time" description={`The last ${HISTORY_DAYS} days.`}>
        <QueryState
          what="balance history"
          isPending={history.isPending}
          error={history.error}
          onRetry={() => history.refetch()}
          minHeight={200}
        >
          {history.data && (
            <Suspense fallback={<ChartPlaceholder height={200} />}>
              <BalanceChart points={history.data.points} days={HISTORY_DAYS} />
            </Suspense>
          )}
        </QueryState>
      </Panel>

      <Panel title="Transactions">
        <TransactionHistory />
      </Panel>
    </>
  );
}

/** Why buying and auto-recharge are off on this plan, and the one way to turn them on: a single block. */
function PlanGate({ id, planName }: { id: string; planName: string }) {
  return (
    <div className="notice notice--info plan-gate" data-testid="plan-gate">
      <p id={id}>
        The {planName} plan cannot buy credits or use auto-recharge. Upgrade to a paid plan to turn them on.
      </p>
      <NavLink to="/billing/plan" className="btn btn--primary btn--small">
        Upgrade to a paid plan
      </NavLink>
    </div>
  );
}
