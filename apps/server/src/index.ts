export { type RunningBilling, type StartOverrides, startBilling } from './start';
