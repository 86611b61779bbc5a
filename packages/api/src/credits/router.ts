import { getCredits } from './get-credits';

export const creditsRouter = {
  get: getCredits,
};
