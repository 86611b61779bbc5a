import { getMe } from './get-me';

export const accountRouter = {
  me: getMe,
};
