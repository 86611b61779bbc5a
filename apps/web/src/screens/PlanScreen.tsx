import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { CheckoutBanner } from '../components/CheckoutBanner';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { type Interval, IntervalToggle } from '../components/IntervalToggle';
import { OwnerNotice } from '../components/OwnerNotice';
import { PageHeading } from '../components/PageHeading';
import { Panel } from '../components/Panel';
import { PlanCard } from '../components/PlanCard';
import { QueryState } from '../components/QueryState';
import { SubscriptionSummary } from '../components/SubscriptionSummary';
import { useBillingRole } from '../hooks/useBillingRole';
import { useCheckoutReturn } from '../hooks/useCheckoutReturn';
import { usePortal } from '../hooks/usePortal';
import { rememberCheckout } from '../lib/checkout-return';
import { errorInfo } from '../lib/errors';
import { formatDate } from '../lib/format';
import { recoveryInterval } from '../lib/recovery';
import { useLocation } from '../lib/router';
import { useToast } from '../lib/toast-context';
import { useTRPC } from '../trpc';

const OWNER_NOTICE_ID = 'plan-owner-notice';

export function PlanScreen() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const portal = usePortal();
  const { canManage, role } = useBillingRole();
  const location = useLocation();
  const [checkoutParam] = useState(() => location.params.get('checkout'));
  const waiting = useRef(checkoutParam === 'success');
  const subscription = useQuery({
    ...trpc.subscription.get.queryOptions({}),
    // While the payment's webhook is on its way, ask again every second; otherwise as every query does.
    refetchInterval: (query) => (waiting.current ? 1000 : recoveryInterval(query)),
  });
  const catalog = useQuery(trpc.plans.list.queryOptions({}));
  const checkoutReturn = useCheckoutReturn(checkoutParam, subscription.data);
  useEffect(() => {
    waiting.current = checkoutReturn.state === 'waiting';
  }, [checkoutReturn.state]);

  const [chosenInterval, setChosenInterval] = useState<Interval | null>(null);
  const shownInterval: Interval = chosenInterval ?? subscription.data?.interval ?? 'month';
  const [confirmCancel, setConfirmCancel] = useState(false);

  const refresh = () => queryClient.invalidateQueries();

  const checkout = useMutation(
    trpc.subscription.checkout.mutationOptions({
      onSuccess: ({ url }) => window.location.assign(url),
      onError: (err) => toast.show('error', `Could not start checkout: ${errorInfo(err).message}`),
    }),
  );
  const cancel = useMutation(
    trpc.subscription.cancel.mutationOptions({
      onSuccess: (result) => {
        setConfirmCancel(false);
        toast.show('info', `Subscription cancelled. It stays active until ${formatDate(result.cancelAt)}.`);
        return refresh();
      },
    }),
  );
  const resume = useMutation(
    trpc.subscription.resume.mutationOptions({
      onSuccess: () => {
        toast.show('success', 'Welcome back! Your subscription will renew as usual.');
        return refresh();
      },
      onError: (err) => toast.show('error', `Could not resume: ${errorInfo(err).message}`),
    }),
  );

  const plans = catalog.data?.plans ?? [];
  const currentRank = plans.findIndex((p) => p.id === subscription.data?.plan);
  const currentPlan = plans[currentRank];

  const choose = (planId: string, seats: number) => {
    const origin = window.location.origin;
    rememberCheckout({ planId, seats, interval: shownInterval });
    checkout.mutate({
      planId,
      seats,
      interval: shownInterval,
      successUrl: `${origin}/billing/plan?checkout=success`,
      cancelUrl: `${origin}/billing/plan?checkout=cancelled`,
    });
  };

  const endDate = subscription.data?.currentPeriodEnd;

  return (
    <>
      <PageHeading subtitle="Your subscription, seats and payment details.">Plan</PageHeading>
      {!canManage && <OwnerNotice id={OWNER_NOTICE_ID} role={role} />}
      <CheckoutBanner result={checkoutReturn} planName={currentPlan?.name} />

      <Panel title="Current plan">
        <QueryState
          what="your subscription"
          isPending={subscription.isPending || catalog.isPending}
          error={subscription.error ?? catalog.error}
          onRetry={refresh}
        >
          {subscription.data && (
            <SubscriptionSummary
              subscription={subscription.data}
              plan={currentPlan}
              canManage={canManage}
              ownerNoticeId={canManage ? undefined : OWNER_NOTICE_ID}
              portalPending={portal.isPending}
              resumePending={resume.isPending}
              onPortal={portal.open}
              onCancel={() => {
                cancel.reset();
                setConfirmCancel(true);
              }}
              onResume={() => resume.mutate({})}
            />
          )}
        </QueryState>
      </Panel>

      <Panel
        title="Compare plans"
        description="Prices are per seat. Paid plans can buy credits when the monthly allowance runs out."
        actions={<IntervalToggle value={shownInterval} onChange={setChosenInterval} />}
      >
        <QueryState
          what="plans"
          isPending={catalog.isPending || subscription.isPending}
          error={catalog.error ?? subscription.error}
          onRetry={refresh}
          minHeight={320}
        >
          {subscription.data && (
            <div className="plans">
              {plans.map((plan, rank) => (
                <PlanCard
                  key={`${plan.id}-${subscription.data.plan}-${subscription.data.seats}`}
                  plan={plan}
                  rank={rank}
                  interval={shownInterval}
                  current={{
                    plan: subscription.data.plan,
                    seats: subscription.data.seats,
                    interval: subscription.data.interval,
                    rank: currentRank,
                  }}
                  canManage={canManage}
                  ownerNoticeId={canManage ? undefined : OWNER_NOTICE_ID}
                  busy={checkout.isPending && checkout.variables?.planId === plan.id}
                  onChoose={(seats) => choose(plan.id, seats)}
                />
              ))}
            </div>
          )}
        </QueryState>
      </Panel>

      <ConfirmDialog
        open={confirmCancel}
        title="Cancel your subscription?"
        confirmLabel="Cancel subscription"
        cancelLabel="Keep subscription"
        danger
        busy={cancel.isPending}
        error={cancel.error ? errorInfo(cancel.error).message : null}
        onConfirm={() => cancel.mutate({})}
        onCancel={() => setConfirmCancel(false)}
      >
        <p>
          Your {currentPlan?.name ?? ''} plan stays active until the end of the current period
          {endDate ? (
            <>
              , <strong>{formatDate(endDate)}</strong>
            </>
          ) : null}
          . After that the account moves to the Free plan and cannot buy credits. Credits you already have are kept.
        </p>
        <p className="muted">You can resume any time before then.</p>
      </ConfirmDialog>
    </>
  );
}
