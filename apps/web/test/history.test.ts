import { describe, expect, it } from 'vitest';
import { balanceChanges, transactionsCsv } from '../src/lib/history';

const rows = [
  { id: 't1', type: 'usage', amount: 0, description: 'covered by allowance', createdAt: '2026-12-03T10:00:00.000Z' },
  { id: 't2', type: 'usage', amount: -5000, description: 'Enrichment, "big"', createdAt: '2026-12-03T09:00:00.000Z' },
  { id: 't3', type: 'purchase', amount: 1_000_000, price: 500, createdAt: '2026-12-02T09:00:00.000Z' },
  {
    id: 't4',
    type: 'auto_recharge',
    amount: 2_500_000,
    price: 1000,
    description: '=HYPERLINK("x")',
    createdAt: '2026-12-01T09:00:00.000Z',
  },
];

describe('transaction history', () => {
  it('keeps only rows that changed the balance, of the chosen type', () => {
    expect(balanceChanges(rows).map((r) => r.id)).toEqual(['t2', 't3', 't4']);
    expect(balanceChanges(rows, 'usage').map((r) => r.id)).toEqual(['t2']);
    expect(balanceChanges(rows, 'refund')).toEqual([]);
  });

  it('exports CSV with quoting, euros and no formula injection', () => {
    const csv = transactionsCsv(balanceChanges(rows));
    expect(csv.split('\r\n')).toEqual([
      'date,type,tokens,price_eur,description,id',
      '2026-12-03T09:00:00.000Z,Usage,-5000,,"Enrichment, ""big""",t2',
      '2026-12-02T09:00:00.000Z,Purchase,1000000,5.00,,t3',
      `2026-12-01T09:00:00.000Z,Auto-recharge,2500000,10.00,"'=HYPERLINK(""x"")",t4`,
      '',
    ]);
  });
});
