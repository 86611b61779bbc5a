import { describe, expect, it } from 'vitest';
import { ofType, transactionsCsv } from '../src/lib/history';

const rows = [
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
  it('keeps the rows of the chosen type', () => {
    expect(ofType(rows).map((r) => r.id)).toEqual(['t2', 't3', 't4']);
    expect(ofType(rows, 'usage').map((r) => r.id)).toEqual(['t2']);
    expect(ofType(rows, 'refund')).toEqual([]);
  });

  it('exports CSV with quoting, euros and no formula injection', () => {
    const csv = transactionsCsv(ofType(rows));
    expect(csv.split('\r\n')).toEqual([
      'date,type,tokens,price_eur,description,id',
      '2026-12-03T09:00:00.000Z,Usage,-5000,,"Enrichment, ""big""",t2',
      '2026-12-02T09:00:00.000Z,Purchase,1000000,5.00,,t3',
      `2026-12-01T09:00:00.000Z,Auto-recharge,2500000,10.00,"'=HYPERLINK(""x"")",t4`,
      '',
    ]);
  });
});
