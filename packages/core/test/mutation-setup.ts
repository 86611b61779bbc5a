import fc from 'fast-check';

// Loaded only under mutation testing, where a property just has to turn red: shrinking a counterexample of a
// 60-step ledger scenario can outlast Stryker's timeout and would report a killed mutant as a timeout.
fc.configureGlobal({ endOnFailure: true });
