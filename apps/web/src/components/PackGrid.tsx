import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useCreditCheckout } from '../hooks/useCreditCheckout';
import { usePortal } from '../hooks/usePortal';
import { type ErrorInfo, errorInfo } from '../lib/errors';
import { formatNumber, formatTokens, pricePerMillion } from '../lib/format';
import { newIdempotencyKey } from '../lib/idempotency';
import { useToast } from '../lib/toast-context';
import { type Outputs, useTRPC, useTRPCClient } from '../trpc';
import { type Pack, PackCard } from './PackCard';
import { PaymentErrorMessage } from './PaymentErrorMessage';
import { PurchaseDialog } from './PurchaseDialog';

type Outcome =
  | { packId: string; ok: true; purchased: number; balance: number }
  | { packId: string; ok: false; error: ErrorInfo };

interface Props {
  packs: readonly Pack[];
  summary: Outputs['credits']['summary'] | undefined;
  /** False for someone who may not buy (not the owner, or a plan without credits). */
  canBuy: boolean;
  /** Id of the visible text saying why buying is disabled. */
  reasonId?: string;
}

export function PackGrid({ packs, summary, canBuy, reasonId }: Props) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const toast = useToast();
  const portal = usePortal();
  const checkout = useCreditCheckout();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [confirming, setConfirming] = useState<Pack | null>(null);
  // Kept only when a request got no answer at all, so buying again retries the same purchase
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
    onSettled: () => {
      setConfirming(null);
      return queryClient.invalidateQueries({ queryKey: trpc.credits.pathKey() });
    },
  });

  const perMillion = packs.map((p) => pricePerMillion(p.price, p.tokens));
  const best = Math.min(...perMillion);
  const base = Math.max(...perMillion);

  return (
    <>
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
              disabled={!canBuy || purchase.isPending}
              describedBy={canBuy ? undefined : reasonId}
              onBuy={() => {
                setOutcome(null);
                setConfirming(pack);
              }}
              outcome={
                mine && (
                  <PurchaseOutcome
                    outcome={mine}
                    portal={portal}
                    checkout={{ open: () => checkout.open(pack.id), isPending: checkout.isPending }}
                  />
                )
              }
            />
          );
        })}
      </div>
      <PurchaseDialog
        pack={confirming}
        summary={summary}
        busy={purchase.isPending}
        onConfirm={() => confirming && purchase.mutate(confirming.id)}
        onCancel={() => setConfirming(null)}
        onAddCard={portal.open}
      />
    </>
  );
}

interface OutcomeProps {
  outcome: Outcome;
  portal: ReturnType<typeof usePortal>;
  checkout: { open(): void; isPending: boolean };
}

function PurchaseOutcome({ outcome, portal, checkout }: OutcomeProps) {
  if (outcome.ok) {
    return (
      <p className="outcome outcome--success" role="status">
        Added {formatNumber(outcome.purchased)} tokens. New balance: {formatNumber(outcome.balance)}.
      </p>
    );
  }
  return (
    <PaymentErrorMessage
      error={outcome.error}
      onOpenPortal={portal.open}
      portalPending={portal.isPending}
      onCheckout={checkout.open}
      checkoutPending={checkout.isPending}
    />
  );
}
