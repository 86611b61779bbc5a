import { advanceTestClock } from '../../services/dev/advance-clock';
import { ownerProcedure } from '../trpc';
import { advanceClockInput, advanceClockMeta, advanceClockOutput } from './advance-clock.types';

export const advanceClock = ownerProcedure
  .meta(advanceClockMeta)
  .input(advanceClockInput)
  .output(advanceClockOutput)
  .mutation(({ ctx, input }) => advanceTestClock(ctx.deps, input.seconds));
