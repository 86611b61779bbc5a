import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { usePortal } from '../hooks/usePortal';
import { useToast } from '../lib/toast-context';
import { type Outputs, useTRPC } from '../trpc';
import { AutoRechargeForm } from './AutoRechargeForm';
import type { Pack } from './PackCard';
import { RechargePausedNotice } from './RechargePausedNotice';

interface Props {
  summary: Outputs['credits']['summary'];
  packs: readonly Pack[];
  canManage: boolean;
  ownerNoticeId?: string;
}

export function AutoRechargePanel({ summary, packs, canManage, ownerNoticeId }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const portal = usePortal();
  // Whether it can run now (paused by a failed charge) comes with the credits read, not the summary.
  const state = useQuery(trpc.credits.get.queryOptions({ limit: 1 }));
  const paused = state.data?.autoRecharge.status === 'paused' ? state.data.autoRecharge : null;
  const save = useMutation(
    trpc.credits.setAutoRecharge.mutationOptions({
      onSuccess: (settings) => {
        toast.show('success', settings.enabled ? 'Auto-recharge is on.' : 'Auto-recharge is off.');
        return queryClient.invalidateQueries({ queryKey: trpc.credits.pathKey() });
      },
    }),
  );
  return (
    <>
      {paused && (
        <RechargePausedNotice
          reason={paused.pausedReason}
          canManage={canManage}
          portalPending={portal.isPending}
          onUpdateCard={portal.open}
        />
      )}
      <AutoRechargeForm
        // New settings from the server (saved here or elsewhere) start a fresh form rather than
        // being merged into half-edited fields.
        key={JSON.stringify(summary.autoRecharge)}
        settings={summary.autoRecharge}
        packs={packs}
        spent={summary.autoRechargeSpent}
        lastFailure={summary.lastRechargeFailure}
        hasPaymentMethod={summary.hasPaymentMethod}
        card={summary.card}
        periodEnd={summary.period.end}
        canManage={canManage}
        ownerNoticeId={ownerNoticeId}
        onSave={(settings) => save.mutateAsync(settings)}
        onAddPaymentMethod={portal.open}
      />
    </>
  );
}
