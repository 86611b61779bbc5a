import { useMutation } from '@tanstack/react-query';
import { errorInfo } from '../lib/errors';
import { useToast } from '../lib/toast-context';
import { useTRPC } from '../trpc';

/** Opens Stripe's billing portal and comes back to the page it was opened from. */
export function usePortal() {
  const trpc = useTRPC();
  const toast = useToast();
  const mutation = useMutation(
    trpc.subscription.portal.mutationOptions({
      onSuccess: ({ url }) => window.location.assign(url),
      onError: (err) => toast.show('error', `Could not open the billing portal: ${errorInfo(err).message}`),
    }),
  );
  return {
    open: () => mutation.mutate({ returnUrl: window.location.href }),
    isPending: mutation.isPending,
  };
}
