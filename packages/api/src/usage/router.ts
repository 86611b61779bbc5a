import { getDailyUsage } from './daily-usage';
import { getUsage } from './get-usage';
import { recordUsageEvents } from './record-usage-procedure';

export const usageRouter = {
  get: getUsage,
  daily: getDailyUsage,
  record: recordUsageEvents,
};
