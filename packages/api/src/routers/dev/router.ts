import { advanceClock } from './advance-clock';

/** Operator tools for the emulator setup; each refuses when real Stripe is configured. */
export const devRouter = {
  advanceClock,
};
