import { getAccount } from './get-account';

export const accountRouter = {
  me: getAccount,
};
