import { getMe } from './get-account';

export const accountRouter = {
  me: getMe,
};
