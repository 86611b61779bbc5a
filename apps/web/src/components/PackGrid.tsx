import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { usePortal } from '../hooks/usePortal';
import { type ErrorInfo, errorInfo } from '../lib/errors';
import { formatNumber, formatTokens, pricePerMillion } from '../lib/format';
import { newIdempotencyKey } from '../lib/idempotency';
import { useToast } from '../lib/toast-context';
import { useTRPC, useTRPCClient } from '../trpc';
import { type Pack, PackCard } from './PackCard';
import { PaymentErrorMessage } from './PaymentErrorMessage';

type Outcome =
  | { packId: string; ok: true; purchased: number; balance: number }
  | { packId: string; ok: false; error: ErrorInfo };

interface Props {
  packs: readonly Pack[];
  canManage: boolean;
  ownerNoticeId?: string;
}

export function PackGrid({ packs, canManage, ownerNoticeId }: Props) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const toast = useToast();
  const portal = usePortal();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // Kept only when a request got no answer at all, so clicking again retries the same purchase
  // instead of possibly paying twice.
  const pendingKeys = useRef(new Map<string, string>());

  const purchase = useMutation({
    mutationFn: (packId: string) => {
      const key = pendingKeys.current.get(packId) ?? newIdempotencyKey(`web_purchase_${packId}`);
      pendingKeys.current.set(packId, key);
      return client.credits.purchase.mutate({ packId }, { context: { idempotencyKey: key } });
    },
    onSuccess: (result, packId) => {
      pendingKeys.current.delete(packId);
      setOutcome({ packId, ok: true, purchased: result.purchased, balance: result.balance });
      toast.show('success', `Added ${formatTokens(result.purchased)}. New balance: ${formatTokens(result.balance)}.`);
    },
    onError: (err, packId) => {
      const info = errorInfo(err);
      if (info.httpStatus !== null) pendingKeys.current.delete(packId);
      setOutcome({ packId, ok: false, error: info });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.credits.pathKey() }),
  });

  const perMillion = packs.map((p) => pricePerMillion(p.price, p.tokens));
  const best = Math.min(...perMillion);
  const base = Math.max(...perMillion);

  return (
    <div className="packs">
      {packs.map((pack) => {
        const mine = outcome?.packId === pack.id ? outcome : null;
        return (
          <PackCard
            key={pack.id}
            pack={pack}
            bestPerMillion={best}
            basePerMillion={base}
            buying={purchase.isPending && purchase.variables === pack.id}
            disabled={!canManage || purchase.isPending}
            describedBy={canManage ? undefined : ownerNoticeId}
            onBuy={() => {
              setOutcome(null);
              purchase.mutate(pack.id);
            }}
            outcome={
              mine &&
              (mine.ok ? (
                <p className="outcome outcome--success" role="status">
                  Added {formatNumber(mine.purchased)} tokens. New balance: {formatNumber(mine.balance)}.
                </p>
              ) : (
                <PaymentErrorMessage error={mine.error} onOpenPortal={portal.open} portalPending={portal.isPending} />
              ))
            }
          />
        );
      })}
    </div>
  );
}
