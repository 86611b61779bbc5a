import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AutoRechargeForm, type AutoRechargeFormProps } from '../src/components/AutoRechargeForm';
import { validateAutoRecharge } from '../src/lib/auto-recharge';

afterEach(cleanup);

const packs = [
  { id: 'credits_1m', tokens: 1_000_000, price: 500 },
  { id: 'credits_2_5m', tokens: 2_500_000, price: 1000 },
  { id: 'credits_7m', tokens: 7_000_000, price: 2500 },
  { id: 'credits_15m', tokens: 15_000_000, price: 5000 },
];

function setup(overrides: Partial<AutoRechargeFormProps> = {}) {
  const onSave = vi.fn<AutoRechargeFormProps['onSave']>().mockResolvedValue(undefined);
  render(
    <AutoRechargeForm
      settings={{ enabled: false, threshold: 500_000, packId: 'credits_2_5m', spendingLimit: 5000 }}
      packs={packs}
      spent={1000}
      lastFailure={null}
      hasPaymentMethod
      canManage
      onSave={onSave}
      {...overrides}
    />,
  );
  const field = (label: RegExp) => screen.getByLabelText(label) as HTMLInputElement;
  return {
    onSave,
    enabled: field(/recharge automatically/i),
    threshold: field(/balance falls below/i),
    pack: screen.getByLabelText(/pack to buy/i) as HTMLSelectElement,
    limit: field(/spending limit/i),
    save: screen.getByRole('button', { name: /save auto-recharge/i }),
  };
}

describe('validateAutoRecharge', () => {
  it('converts euros to cents and accepts a limit equal to the pack price', () => {
    expect(
      validateAutoRecharge({ enabled: true, threshold: '1,000', packId: 'credits_2_5m', spendingLimit: '10' }, packs),
    ).toEqual({
      ok: true,
      settings: { enabled: true, threshold: 1000, packId: 'credits_2_5m', spendingLimit: 1000 },
    });
  });

  it('allows a limit below the pack price while auto-recharge is off', () => {
    const result = validateAutoRecharge(
      { enabled: false, threshold: '0', packId: 'credits_15m', spendingLimit: '5' },
      packs,
    );
    expect(result.ok).toBe(true);
  });
});

describe('AutoRechargeForm', () => {
  it('shows the settings, the euro spent of the limit and saves them converted to cents', async () => {
    const f = setup();
    expect(f.threshold.value).toBe('500000');
    expect(f.pack.value).toBe('credits_2_5m');
    expect(f.limit.value).toBe('50.00');
    expect(screen.getByText('€10.00 of €50.00 spent this period')).toBeTruthy();

    fireEvent.click(f.enabled);
    fireEvent.change(f.threshold, { target: { value: '1000000' } });
    fireEvent.change(f.pack, { target: { value: 'credits_7m' } });
    fireEvent.change(f.limit, { target: { value: '75.50' } });
    fireEvent.click(f.save);
    await waitFor(() => expect(f.onSave).toHaveBeenCalledTimes(1));
    expect(f.onSave).toHaveBeenCalledWith({
      enabled: true,
      threshold: 1_000_000,
      packId: 'credits_7m',
      spendingLimit: 7550,
    });
    expect(await screen.findByText('Saved.')).toBeTruthy();
  });

  it('refuses a negative or fractional threshold inline and does not save', () => {
    const f = setup();
    for (const bad of ['-5', '1.5', 'lots', '']) {
      fireEvent.change(f.threshold, { target: { value: bad } });
      fireEvent.click(f.save);
      expect(f.threshold.getAttribute('aria-invalid')).toBe('true');
      expect(screen.getByText('Enter a whole number of tokens, 0 or more.')).toBeTruthy();
      expect(document.activeElement).toBe(f.threshold);
    }
    expect(f.onSave).not.toHaveBeenCalled();
  });

  it('requires a limit of at least the pack price when enabled, and clears the error once fixed', () => {
    const f = setup();
    fireEvent.click(f.enabled);
    fireEvent.change(f.pack, { target: { value: 'credits_15m' } });
    fireEvent.change(f.limit, { target: { value: '49.99' } });
    fireEvent.click(f.save);
    expect(screen.getByText(/must be at least €50\.00, the price of the selected pack/)).toBeTruthy();
    expect(f.limit.getAttribute('aria-invalid')).toBe('true');
    expect(f.limit.getAttribute('aria-describedby')).toContain('-error');
    expect(f.onSave).not.toHaveBeenCalled();

    fireEvent.change(f.limit, { target: { value: '50' } });
    expect(screen.queryByText(/must be at least/)).toBeNull();
  });

  it('refuses a limit that is not an amount of euros', () => {
    const f = setup();
    fireEvent.change(f.limit, { target: { value: 'fifty' } });
    fireEvent.click(f.save);
    expect(screen.getByText('Enter an amount in euros, for example 50.00.')).toBeTruthy();
    expect(f.onSave).not.toHaveBeenCalled();
  });

  it('shows a server refusal next to the field it names', async () => {
    const f = setup({
      onSave: vi.fn().mockRejectedValue({
        message: 'spendingLimit (500 cents) is below the price of pack credits_2_5m (1000 cents)',
        data: { domainCode: 'INVALID_SETTINGS', httpStatus: 400, details: { field: 'spendingLimit' } },
      }),
    });
    fireEvent.click(f.save);
    expect(await screen.findByText(/spendingLimit \(500 cents\) is below/)).toBeTruthy();
    expect(f.limit.getAttribute('aria-invalid')).toBe('true');
  });

  it('shows other server errors above the button', async () => {
    const f = setup({
      onSave: vi
        .fn()
        .mockRejectedValue({ message: 'Only the account owner may change billing', data: { domainCode: 'FORBIDDEN' } }),
    });
    fireEvent.click(f.save);
    expect((await screen.findByRole('alert')).textContent).toContain('Only the account owner may change billing');
  });

  it('shows the last failed recharge and warns when no card is on file', () => {
    setup({
      settings: { enabled: true, threshold: 500_000, packId: 'credits_2_5m', spendingLimit: 5000 },
      lastFailure: { at: '2025-01-20T12:00:00Z', message: 'Your card was declined.' },
      hasPaymentMethod: false,
    });
    expect(screen.getByTestId('last-recharge-failure').textContent).toContain('Your card was declined.');
    expect(screen.getByText(/No card is on file/)).toBeTruthy();
  });

  it('is disabled for members who are not the owner', () => {
    const f = setup({ canManage: false });
    expect(f.threshold.closest('fieldset')?.disabled).toBe(true);
    expect((f.save as HTMLButtonElement).closest('fieldset')?.disabled).toBe(true);
  });
});
