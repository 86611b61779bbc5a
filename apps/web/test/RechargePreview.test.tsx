import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { RechargePreview } from '../src/components/RechargePreview';

afterEach(cleanup);

const packs = [{ id: 'credits_2_5m', tokens: 2_500_000, price: 1000 }];
const draft = { enabled: true, threshold: '500000', packId: 'credits_2_5m', spendingLimit: '50' };
const props = { packs, card: { brand: 'visa', last4: '4242' }, periodEnd: '2027-01-04T00:00:00.000Z' };

describe('RechargePreview', () => {
  it('says what a recharge charges, on which card, and how many are left this period', () => {
    render(<RechargePreview draft={draft} spent={1000} {...props} />);
    expect(screen.getByTestId('recharge-preview').textContent).toBe(
      'When the balance falls below 500,000 tokens, Visa •••• 4242 is charged €10.00 for 2,500,000 tokens. €40.00 of the €50.00 limit is left, enough for 4 more recharges until 4 Jan 2027.',
    );
  });

  it('says when the limit is used up, and nothing while auto-recharge is off or the draft is invalid', () => {
    render(<RechargePreview draft={draft} spent={5000} {...props} />);
    expect(screen.getByTestId('recharge-preview').textContent).toContain(
      'The €50.00 limit is used up: no more recharges until 4 Jan 2027.',
    );
    cleanup();
    render(<RechargePreview draft={{ ...draft, enabled: false }} spent={0} {...props} />);
    expect(screen.queryByTestId('recharge-preview')).toBeNull();
    render(<RechargePreview draft={{ ...draft, threshold: 'lots' }} spent={0} {...props} />);
    expect(screen.queryByTestId('recharge-preview')).toBeNull();
  });
});
