import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { type ErrorInfo, errorInfo } from '../lib/errors';
import { clearParam, useLocation } from '../lib/router';
import { useToast } from '../lib/toast-context';
import { type Outputs, useTRPC } from '../trpc';

/** Opens Stripe Checkout for one pack: the payer confirms on Stripe's page (3-D Secure included). */
export function useCreditCheckout() {
  const trpc = useTRPC();
  const toast = useToast();
  const mutation = useMutation(
    trpc.credits.checkout.mutationOptions({
      onSuccess: ({ url }) => window.location.assign(url),
      onError: (err) => toast.show('error', `Could not open the checkout page: ${errorInfo(err).message}`),
    }),
  );
  return {
    open: (packId: string) => {
      const page = `${window.location.origin}/billing/credits`;
      mutation.mutate({ packId, successUrl: `${page}?purchase=success`, cancelUrl: `${page}?purchase=cancelled` });
    },
    isPending: mutation.isPending,
  };
}

export type CreditCheckoutReturn =
  | { state: 'none' }
  | { state: 'confirming' }
  | { state: 'cancelled' }
  | { state: 'settled'; result: Outputs['credits']['confirmCheckout'] }
  | { state: 'error'; error: ErrorInfo };

/**
 * Back from the pack checkout (?purchase=success&session_id=…): asks the server to settle it from what Stripe
 * says now, instead of waiting for the webhook, and says how the purchase stands.
 */
export function useCreditCheckoutReturn(onSettled: () => void): CreditCheckoutReturn {
  const trpc = useTRPC();
  const location = useLocation();
  const [params] = useState(() => ({
    purchase: location.params.get('purchase'),
    sessionId: location.params.get('session_id'),
  }));
  const confirm = useMutation(trpc.credits.confirmCheckout.mutationOptions({ onSettled }));
  const { mutate } = confirm;
  useEffect(() => {
    if (params.purchase === 'success' && params.sessionId) mutate({ sessionId: params.sessionId });
    clearParam('purchase');
    clearParam('session_id');
  }, [params, mutate]);

  if (params.purchase === 'cancelled') return { state: 'cancelled' };
  if (confirm.data) return { state: 'settled', result: confirm.data };
  if (confirm.error) return { state: 'error', error: errorInfo(confirm.error) };
  if (params.purchase === 'success' && params.sessionId) return { state: 'confirming' };
  return { state: 'none' };
}
