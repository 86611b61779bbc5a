import { cancelSubscription } from './cancel-subscription';
import { createCheckout } from './create-checkout';
import { getSubscription } from './get-subscription';
import { openPortal } from './open-portal';
import { resumeSubscription } from './resume-subscription';

export const subscriptionRouter = {
  get: getSubscription,
  checkout: createCheckout,
  portal: openPortal,
  cancel: cancelSubscription,
  resume: resumeSubscription,
};
