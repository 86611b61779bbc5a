import { getCredits } from './get-credits';
import { getBalanceHistory } from './get-history';
import { getCreditsSummary } from './get-summary';
import { purchaseCredits } from './purchase-procedure';
import { setAutoRecharge } from './set-auto-recharge';
import { spendCredits } from './spend-procedure';

export const creditsRouter = {
  get: getCredits,
  summary: getCreditsSummary,
  history: getBalanceHistory,
  purchase: purchaseCredits,
  setAutoRecharge,
  spend: spendCredits,
};
