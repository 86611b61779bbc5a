import { useMutation, useQueryClient } from '@tanstack/react-query';
import { usePortal } from '../hooks/usePortal';
import { useToast } from '../lib/toast-context';
import { type Outputs, useTRPC } from '../trpc';
import { AutoRechargeForm } from './AutoRechargeForm';
import type { Pack } from './PackCard';

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
  const save = useMutation(
    trpc.credits.setAutoRecharge.mutationOptions({
      onSuccess: (settings) => {
        toast.show('success', settings.enabled ? 'Auto-recharge is on.' : 'Auto-recharge is off.');
        return queryClient.invalidateQueries({ queryKey: trpc.credits.pathKey() });
      },
    }),
  );
  return (
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
  );
}
