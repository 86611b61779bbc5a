import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PaymentErrorMessage } from '../src/components/PaymentErrorMessage';
import { errorInfo } from '../src/lib/errors';

afterEach(cleanup);

const serverError = (domainCode: string, message: string, httpStatus: number) =>
  errorInfo({ message, data: { domainCode, httpStatus, code: 'X' } });

describe('PaymentErrorMessage', () => {
  it('gives the card\u2019s reason for a decline and offers to update the card', () => {
    const onOpenPortal = vi.fn();
    render(
      <PaymentErrorMessage
        error={serverError('CARD_DECLINED', 'Your card was declined.', 402)}
        onOpenPortal={onOpenPortal}
        portalPending={false}
      />,
    );
    expect(screen.getByRole('alert').textContent).toContain('Payment declined: Your card was declined.');
    fireEvent.click(screen.getByRole('button', { name: 'Update payment method' }));
    expect(onOpenPortal).toHaveBeenCalledOnce();
  });

  it('sends a payment the bank wants confirmed to the pack checkout page', () => {
    const onCheckout = vi.fn();
    render(
      <PaymentErrorMessage
        error={serverError('AUTHENTICATION_REQUIRED', 'This card needs authentication', 402)}
        onOpenPortal={() => {}}
        portalPending={false}
        onCheckout={onCheckout}
      />,
    );
    expect(screen.getByRole('alert').textContent).toContain('Your bank wants you to confirm this payment.');
    fireEvent.click(screen.getByRole('button', { name: 'Pay on the secure checkout page' }));
    expect(onCheckout).toHaveBeenCalledOnce();
  });

  it('sends people without a card to the portal to add one', () => {
    const onOpenPortal = vi.fn();
    render(
      <PaymentErrorMessage
        error={serverError('NO_PAYMENT_METHOD', 'No saved card', 409)}
        onOpenPortal={onOpenPortal}
        portalPending={false}
      />,
    );
    expect(screen.getByRole('alert').textContent).toContain('No card on file');
    fireEvent.click(screen.getByRole('button', { name: 'Add a payment method' }));
    expect(onOpenPortal).toHaveBeenCalledOnce();
  });

  it('explains that the free plan must upgrade to buy credits', () => {
    render(
      <PaymentErrorMessage
        error={serverError('CREDITS_NOT_ALLOWED', 'The free plan cannot buy credits', 403)}
        onOpenPortal={() => {}}
        portalPending={false}
      />,
    );
    expect(screen.getByRole('alert').textContent).toContain('The Free plan cannot buy credits.');
    expect(screen.getByRole('link', { name: 'Upgrade to a paid plan' }).getAttribute('href')).toBe('/billing/plan');
  });

  it('shows any other server message with whom to ask, and a plain message for network failures', () => {
    render(
      <PaymentErrorMessage
        error={serverError('PAYMENT_PROVIDER_UNAVAILABLE', 'Stripe is unavailable, try again', 503)}
        onOpenPortal={() => {}}
        portalPending={false}
      />,
    );
    expect(screen.getByRole('alert').textContent).toBe(
      'Stripe is unavailable, try again. If it keeps happening, contact support.',
    );
    cleanup();
    render(
      <PaymentErrorMessage
        error={errorInfo(new TypeError('Failed to fetch'))}
        onOpenPortal={() => {}}
        portalPending={false}
      />,
    );
    expect(screen.getByRole('alert').textContent).toContain('Cannot reach the billing service');
  });
});
