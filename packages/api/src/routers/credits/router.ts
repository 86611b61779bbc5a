import { confirmCreditCheckout } from './confirm-credit-checkout';
import { createCreditCheckout } from './create-credit-checkout';
import { getCredits } from './get-credits';
import { getBalanceHistory } from './get-balance-history';
import { getCreditsSummary } from './get-credits-summary';
import { purchaseCredits } from './purchase-credits';
import { setAutoRecharge } from './set-auto-recharge';
import { setCreditAlerts } from './set-credit-alerts';
import { spendCredits } from './spend-credits';

export const creditsRouter = {
  get: getCredits,
  summary: getCreditsSummary,
  history: getBalanceHistory,
  purchase: purchaseCredits,
  checkout: createCreditCheckout,
  confirmCheckout: confirmCreditCheckout,
  setAutoRecharge,
  setAlerts: setCreditAlerts,
  spend: spendCredits,
};
