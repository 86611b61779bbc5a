import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PurchaseDialog } from '../src/components/PurchaseDialog';
import type { Outputs } from '../src/trpc';

afterEach(cleanup);

const pack = { id: 'credits_2_5m', tokens: 2_500_000, price: 1000 };
const summary = (over: Partial<Outputs['credits']['summary']> = {}): Outputs['credits']['summary'] => ({
  balance: 0,
  period: { start: '2026-12-01T00:00:00.000Z', end: '2027-01-01T00:00:00.000Z' },
  allowance: { limit: 5_000_000, used: 0, remaining: 5_000_000 },
  autoRecharge: { enabled: true, threshold: 500_000, packId: 'credits_2_5m', spendingLimit: 5000 },
  autoRechargeSpent: 1000,
  lastRechargeFailure: null,
  hasPaymentMethod: true,
  card: { brand: 'visa', last4: '4242' },
  ...over,
});

describe('PurchaseDialog', () => {
  it('states pack, price, card and the spending limit left before anything is charged', () => {
    const onConfirm = vi.fn();
    render(
      <PurchaseDialog
        pack={pack}
        summary={summary()}
        busy={false}
        onConfirm={onConfirm}
        onCancel={() => {}}
        onAddCard={() => {}}
      />,
    );
    const facts = screen.getByTestId('purchase-facts').textContent;
    expect(facts).toContain('2,500,000 tokens');
    expect(facts).toContain('€10.00, charged now');
    expect(facts).toContain('Visa •••• 4242');
    expect(facts).toContain('€40.00 of €50.00 for auto-recharge; it resets on 1 Jan 2027');
    expect(onConfirm).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Pay €10.00' }));
    expect(onConfirm).toHaveBeenCalledOnce();
  });

  it('offers to add a card instead of paying when none is on file', () => {
    const onConfirm = vi.fn();
    const onAddCard = vi.fn();
    render(
      <PurchaseDialog
        pack={pack}
        summary={summary({ hasPaymentMethod: false, card: null })}
        busy={false}
        onConfirm={onConfirm}
        onCancel={() => {}}
        onAddCard={onAddCard}
      />,
    );
    expect(screen.getByTestId('purchase-facts').textContent).toContain('No card on file');
    expect(screen.queryByRole('button', { name: /^Pay/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Add a payment method' }));
    expect(onAddCard).toHaveBeenCalledOnce();
    expect(onConfirm).not.toHaveBeenCalled();
  });
});
