import { getDailyUsage } from './get-daily-usage';
import { getUsage } from './get-usage';
import { recordUsageEvents } from './record-usage-events';

export const usageRouter = {
  get: getUsage,
  daily: getDailyUsage,
  record: recordUsageEvents,
};
