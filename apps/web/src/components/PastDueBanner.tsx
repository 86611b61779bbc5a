import { useQuery } from '@tanstack/react-query';
import { useBillingRole } from '../hooks/useBillingRole';
import { useTRPC } from '../trpc';

/**
 * On every screen while the renewal's invoice is unpaid: the new period's allowance waits for it, so this is
 * the one thing to do first, and the owner gets Stripe's page to pay it.
 */
export function PastDueBanner() {
  const trpc = useTRPC();
  const { canManage } = useBillingRole();
  const subscription = useQuery(trpc.subscription.get.queryOptions({}));
  if (!subscription.data?.pastDue) return null;
  const { payUrl } = subscription.data;
  return (
    <div className="notice notice--error" role="alert" data-testid="past-due-banner">
      <p>
        <strong>Payment past due.</strong> The renewal of your plan could not be charged, and this period's allowance
        starts once the invoice is paid.
        {!canManage && ' Ask the account owner to pay it.'}
      </p>
      {canManage && payUrl && (
        <a className="btn btn--primary btn--small" href={payUrl}>
          Pay the open invoice
        </a>
      )}
    </div>
  );
}
