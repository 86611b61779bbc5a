import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { subscribe, useEmulatorWithCatalog, waitFor } from './helpers';

const env = useEmulatorWithCatalog();

function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

describe('billing portal', () => {
  it('renders the subscription, invoices and the way back', async () => {
    const { customer } = await subscribe(env.stripe, env.emu, env.catalog.team, 3);
    const portal = await env.stripe.billingPortal.sessions.create({ customer, return_url: 'http://app.local/billing' });
    expect(portal.id).toMatch(/^bps_/);
    expect(portal.url).toBe(`${env.emu.url}/p/session/${portal.id}`);
    const html = await (await fetch(portal.url)).text();
    expect(html).toContain('Team × 3 seats');
    expect(html).toContain('Renews on');
    expect(html).toContain('Cancel subscription');
    expect(html).toContain('team_monthly');
    expect(html).toContain('<label for="card_number">Card number</label>');
    expect(html).toContain('href="http://app.local/billing">Return to Contox</a>');
    expect(html).toMatch(/View [A-Z]+-0001/);
  });

  it('confirms a deep-linked plan change (subscription_update_confirm)', async () => {
    const { subscription, customer } = await subscribe(env.stripe, env.emu, env.catalog.team, 3);
    const itemId = subscription.items.data[0]?.id ?? '';
    const portal = await env.stripe.billingPortal.sessions.create({
      customer,
      return_url: 'http://app.local/billing',
      flow_data: {
        type: 'subscription_update_confirm',
        subscription_update_confirm: {
          subscription: subscription.id,
          items: [{ id: itemId, price: env.catalog.business.id, quantity: 5 }],
        },
        after_completion: { type: 'redirect', redirect: { return_url: 'http://app.local/billing?updated=1' } },
      },
    });
    expect(portal.flow?.type).toBe('subscription_update_confirm');
    const html = await (await fetch(portal.url)).text();
    expect(html).toContain('Confirm change');
    expect(html).toContain('Business × 5 seats');

    env.receiver.clear();
    const res = await postForm(portal.url, { action: 'confirm_update' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('http://app.local/billing?updated=1');

    const after = await env.stripe.subscriptions.retrieve(subscription.id);
    expect(after.items.data[0]).toMatchObject({ id: itemId, quantity: 5 });
    expect(after.items.data[0]?.price.lookup_key).toBe('business_monthly');
    const updated = await waitFor(() => env.receiver.ofType('customer.subscription.updated')[0]);
    expect(updated.event.data.previous_attributes).toHaveProperty('items');
  });

  it('rejects a flow for someone else’s subscription', async () => {
    const { subscription } = await subscribe(env.stripe, env.emu, env.catalog.team, 1);
    const stranger = await env.stripe.customers.create({ email: 'stranger@example.com' });
    await expect(
      env.stripe.billingPortal.sessions.create({
        customer: stranger.id,
        flow_data: { type: 'subscription_cancel', subscription_cancel: { subscription: subscription.id } },
      }),
    ).rejects.toMatchObject({ statusCode: 404 });
  });

  it('cancels at period end and resumes from the page', async () => {
    const { subscription, customer } = await subscribe(env.stripe, env.emu, env.catalog.team, 2);
    const portal = await env.stripe.billingPortal.sessions.create({
      customer,
      flow_data: { type: 'subscription_cancel', subscription_cancel: { subscription: subscription.id } },
    });
    expect(await (await fetch(portal.url)).text()).toContain('Confirm cancellation');
    const res = await postForm(portal.url, { action: 'confirm_cancel' });
    expect(res.status).toBe(303);
    const canceled = await env.stripe.subscriptions.retrieve(subscription.id);
    expect(canceled).toMatchObject({ status: 'active', cancel_at_period_end: true });
    expect(canceled.cancel_at).toBe(canceled.items.data[0]?.current_period_end);
    expect(canceled.canceled_at).toBeTypeOf('number');

    const page = await (await fetch(`${portal.url}?done=canceled`)).text();
    expect(page).toContain('pending cancellation');
    expect(page).toContain('Resume subscription');

    await postForm(portal.url, { action: 'resume', subscription: subscription.id });
    const resumed = await env.stripe.subscriptions.retrieve(subscription.id);
    expect(resumed).toMatchObject({ cancel_at_period_end: false, cancel_at: null, canceled_at: null });
    const events = await waitFor(() => {
      const e = env.receiver.ofType('customer.subscription.updated');
      return e.length >= 2 ? e : undefined;
    });
    expect(events[0]?.event.data.previous_attributes).toMatchObject({ cancel_at_period_end: false });
  });

  it('changes seats and replaces the card from the page', async () => {
    const { subscription, customer } = await subscribe(env.stripe, env.emu, env.catalog.team, 2);
    const portal = await env.stripe.billingPortal.sessions.create({ customer });
    await postForm(portal.url, {
      action: 'change',
      subscription: subscription.id,
      price: env.catalog.team.id,
      quantity: '4',
    });
    expect((await env.stripe.subscriptions.retrieve(subscription.id)).items.data[0]?.quantity).toBe(4);

    const declined = await postForm(portal.url, { action: 'card', card_number: '4000000000000002' });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('Your card was declined.');

    const ok = await postForm(portal.url, { action: 'card', card_number: '5555 5555 5555 4444' });
    expect(ok.status).toBe(303);
    const cus = (await env.stripe.customers.retrieve(customer)) as Stripe.Customer;
    const pm = await env.stripe.paymentMethods.retrieve(cus.invoice_settings.default_payment_method as string);
    expect(pm.card?.last4).toBe('4444');
    expect((await env.stripe.subscriptions.retrieve(subscription.id)).default_payment_method).toBe(pm.id);
  });
});
