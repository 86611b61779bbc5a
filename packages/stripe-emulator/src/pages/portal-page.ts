import type Stripe from 'stripe';
import { ApiError } from '../errors';
import { type FormObject, textField } from '../form';
import { formatAmount, intervalLabel } from '../money';
import { setDefaultPaymentMethod } from '../resources/customers';
import { invoiceSubscriptionId, payInvoice } from '../resources/invoices';
import {
  attachPaymentMethod,
  cardForNumber,
  createCardPaymentMethod,
  markOffSessionReady,
} from '../resources/payment-methods';
import { productName } from '../resources/products';
import { customerIdOf, periodOf, updateSubscription } from '../resources/subscriptions';
import type { Ctx, Emulator } from '../state';
import { esc, formatDate, layout, notFoundPage, type PageResult } from './html';

const DONE_MESSAGES: Record<string, string> = {
  canceled: 'Your subscription will be canceled at the end of the billing period.',
  resumed: 'Your subscription will continue to renew.',
  updated: 'Your plan has been updated.',
  card: 'Your payment method has been updated.',
};

function priceLabel(em: Emulator, price: Stripe.Price): string {
  const per = price.recurring ? ` / ${intervalLabel(price.recurring.interval, price.recurring.interval_count)}` : '';
  const name = price.lookup_key ?? productName(em, price);
  return `${name} — ${formatAmount(price.unit_amount ?? 0, price.currency)} per seat${per}`;
}

function customerSubscriptions(em: Emulator, customerId: string): Stripe.Subscription[] {
  return [...em.store.subscriptions.values()]
    .filter((s) => customerIdOf(s) === customerId && s.status !== 'canceled' && s.status !== 'incomplete_expired')
    .reverse();
}

function itemSummary(em: Emulator, item: Stripe.SubscriptionItem): string {
  const per = item.price.recurring ? ` / ${item.price.recurring.interval}` : '';
  const qty = item.quantity ?? 1;
  return `${productName(em, item.price)} × ${qty} ${qty === 1 ? 'seat' : 'seats'} — ${formatAmount((item.price.unit_amount ?? 0) * qty, item.price.currency)}${per}`;
}

function flowSection(em: Emulator, session: Stripe.BillingPortal.Session): string {
  const flow = session.flow;
  if (!flow) return '';
  if (flow.type === 'subscription_update_confirm' && flow.subscription_update_confirm) {
    const sub = em.store.subscriptions.get(flow.subscription_update_confirm.subscription);
    if (!sub) return '';
    const changes = flow.subscription_update_confirm.items
      .map((it) => {
        const current = sub.items.data.find((x) => x.id === it.id);
        const price = it.price ? em.store.prices.get(it.price) : current?.price;
        if (!current || !price) return '';
        const qty = it.quantity ?? current.quantity ?? 1;
        return `<li>${esc(itemSummary(em, current))} → <strong>${esc(productName(em, price))} × ${qty} ${qty === 1 ? 'seat' : 'seats'} — ${esc(formatAmount((price.unit_amount ?? 0) * qty, price.currency))}</strong></li>`;
      })
      .join('');
    return `<section aria-labelledby="confirm-heading">
<h2 id="confirm-heading">Confirm your change</h2>
<ul>${changes}</ul>
<form method="post"><input type="hidden" name="action" value="confirm_update"><button type="submit">Confirm change</button></form>
</section>`;
  }
  if (flow.type === 'subscription_cancel' && flow.subscription_cancel) {
    const sub = em.store.subscriptions.get(flow.subscription_cancel.subscription);
    if (!sub) return '';
    return `<section aria-labelledby="confirm-heading">
<h2 id="confirm-heading">Cancel your subscription</h2>
<p>Your subscription will stay active until ${esc(formatDate(periodOf(sub).end))} and then end.</p>
<form method="post"><input type="hidden" name="action" value="confirm_cancel"><button type="submit">Confirm cancellation</button></form>
</section>`;
  }
  return '';
}

function subscriptionSection(em: Emulator, sub: Stripe.Subscription, prices: Stripe.Price[]): string {
  const first = sub.items.data[0];
  const period = periodOf(sub);
  const pending = sub.cancel_at !== null;
  const options = prices
    .map(
      (p) =>
        `<option value="${esc(p.id)}"${first?.price.id === p.id ? ' selected' : ''}>${esc(priceLabel(em, p))}</option>`,
    )
    .join('');
  return `<section aria-labelledby="sub-${esc(sub.id)}">
<h2 id="sub-${esc(sub.id)}">Current plan</h2>
<ul>${sub.items.data.map((it) => `<li>${esc(itemSummary(em, it))}</li>`).join('')}</ul>
<p>Status: <span class="badge">${esc(sub.status)}</span></p>
${
  pending
    ? `<p><strong>Cancels on ${esc(formatDate(sub.cancel_at ?? period.end))}</strong> (pending cancellation)</p>`
    : `<p>Renews on ${esc(formatDate(period.end))}</p>`
}
<form method="post">
<input type="hidden" name="subscription" value="${esc(sub.id)}">
${
  sub.cancel_at_period_end || pending
    ? '<input type="hidden" name="action" value="resume"><button type="submit">Resume subscription</button>'
    : '<input type="hidden" name="action" value="cancel"><button type="submit" class="secondary">Cancel subscription</button>'
}
</form>
<h3>Change plan or seats</h3>
<form method="post">
<input type="hidden" name="subscription" value="${esc(sub.id)}">
<input type="hidden" name="action" value="change">
<label for="price-${esc(sub.id)}">Plan</label>
<select id="price-${esc(sub.id)}" name="price">${options}</select>
<label for="quantity-${esc(sub.id)}">Seats</label>
<input id="quantity-${esc(sub.id)}" name="quantity" type="number" min="1" value="${first?.quantity ?? 1}">
<button type="submit">Update plan</button>
</form>
</section>`;
}

function render(
  em: Emulator,
  session: Stripe.BillingPortal.Session,
  message?: { kind: 'error' | 'notice'; text: string },
): string {
  const customer = em.store.customers.get(session.customer);
  const subs = customerSubscriptions(em, session.customer);
  const prices = [...em.store.prices.values()].filter((p) => p.active && p.recurring && p.lookup_key);
  const defaultPm = customer?.invoice_settings.default_payment_method;
  const pmId = typeof defaultPm === 'string' ? defaultPm : (defaultPm?.id ?? null);
  const pm = pmId ? em.store.paymentMethods.get(pmId) : undefined;
  const invoices = [...em.store.invoices.values()].filter((i) => i.customer === session.customer).reverse();
  const body = `<h1>Contox billing</h1>
<p class="muted">${esc(customer?.email ?? session.customer)}</p>
${message ? `<p class="${message.kind}" role="${message.kind === 'error' ? 'alert' : 'status'}">${esc(message.text)}</p>` : ''}
${flowSection(em, session)}
${subs.length > 0 ? subs.map((s) => subscriptionSection(em, s, prices)).join('\n') : '<p>No active subscription.</p>'}
<section aria-labelledby="pm-heading">
<h2 id="pm-heading">Payment method</h2>
<p>${pm?.card ? `${esc(pm.card.brand)} •••• ${esc(pm.card.last4)} (expires ${pm.card.exp_month}/${pm.card.exp_year})` : 'No card on file.'}</p>
<form method="post">
<input type="hidden" name="action" value="card">
<label for="card_number">Card number</label>
<input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" required>
<button type="submit">Update card</button>
</form>
</section>
<section aria-labelledby="invoices-heading">
<h2 id="invoices-heading">Invoices</h2>
${
  invoices.length === 0
    ? '<p>No invoices yet.</p>'
    : `<table><thead><tr><th scope="col">Date</th><th scope="col">Amount</th><th scope="col">Status</th><th scope="col">Invoice</th></tr></thead><tbody>${invoices
        .map(
          (i) =>
            `<tr><td>${esc(formatDate(i.created))}</td><td>${esc(formatAmount(i.total, i.currency))}</td><td>${esc(i.status)}</td><td><a href="${esc(i.hosted_invoice_url ?? '#')}">View ${esc(i.number ?? i.id)}</a></td></tr>`,
        )
        .join('')}</tbody></table>`
}
</section>
${session.return_url ? `<p><a href="${esc(session.return_url)}">Return to Contox</a></p>` : ''}`;
  return layout('Billing — Contox', body);
}

function ownedSub(em: Emulator, session: Stripe.BillingPortal.Session, id: string): Stripe.Subscription {
  const sub = em.store.subscriptions.get(id);
  if (!sub || customerIdOf(sub) !== session.customer) {
    throw new ApiError(404, { type: 'invalid_request_error', message: 'Subscription not found.' });
  }
  return sub;
}

const refuse = (message: string) => new ApiError(400, { type: 'invalid_request_error', message });

/**
 * What the session's portal configuration allows (the default configuration allows any plan and quantity):
 * subscription updates enabled, the price listed for its product, and the quantity within the product's
 * `adjustable_quantity` range (unchanged when quantities are not adjustable).
 */
function checkAllowed(
  em: Emulator,
  session: Stripe.BillingPortal.Session,
  item: Stripe.SubscriptionItem,
  priceId: string,
  quantity: number,
): void {
  const config = em.store.portalConfigurations.get(session.configuration as string);
  if (!config) return;
  const update = config.features.subscription_update;
  if (!update.enabled) throw refuse('Plan changes are not available in this portal.');
  const product = update.products?.find((p) => p.prices.includes(priceId));
  if (!product) throw refuse('This plan is not available in this portal.');
  const { enabled, minimum, maximum } = product.adjustable_quantity;
  if (!enabled) {
    if (quantity !== (item.quantity ?? 1)) throw refuse('The quantity of this plan cannot be changed.');
    return;
  }
  if (quantity < minimum || (maximum !== null && quantity > maximum)) {
    const range = maximum === null ? `at least ${minimum}` : `between ${minimum} and ${maximum}`;
    throw refuse(`Choose a quantity ${range} for this plan.`);
  }
}

/** A plan change in the portal keeps the subscription: a pending cancellation is withdrawn with it. */
function resumeIfCanceling(sub: Stripe.Subscription): { cancelAtPeriodEnd?: false; cancelAt?: null } {
  if (sub.cancel_at_period_end) return { cancelAtPeriodEnd: false };
  return sub.cancel_at !== null ? { cancelAt: null } : {};
}

/** Card replacement as the portal does it: new default everywhere, then settle open invoices. */
function replaceCard(ctx: Ctx, session: Stripe.BillingPortal.Session, cardNumber: string): void {
  const { em } = ctx;
  const customer = em.store.customers.get(session.customer);
  if (!customer) throw new ApiError(404, { type: 'invalid_request_error', message: 'Customer not found.' });
  const card = cardForNumber(cardNumber);
  const pm = createCardPaymentMethod(ctx, card, { email: customer.email, name: customer.name ?? null });
  attachPaymentMethod(ctx, pm, customer.id);
  markOffSessionReady(ctx, pm.id);
  setDefaultPaymentMethod(ctx, customer, pm.id);
  for (const sub of customerSubscriptions(em, customer.id)) {
    if (sub.default_payment_method) updateSubscription(ctx, sub, { defaultPaymentMethod: pm.id });
  }
  for (const inv of [...em.store.invoices.values()]) {
    if (inv.customer !== customer.id || inv.status !== 'open' || !invoiceSubscriptionId(inv)) continue;
    const result = payInvoice(ctx, inv, 'on_session', pm.id);
    if (!result.ok && result.error) throw result.error;
  }
}

function finishFlow(session: Stripe.BillingPortal.Session, done: string): PageResult {
  const after = session.flow?.after_completion;
  if (after?.type === 'redirect' && after.redirect?.return_url) return { redirect: after.redirect.return_url };
  return { redirect: `/p/session/${session.id}?done=${done}` };
}

function act(em: Emulator, session: Stripe.BillingPortal.Session, form: FormObject): PageResult {
  const ctx = em.ctx();
  const action = textField(form, 'action');
  switch (action) {
    case 'cancel':
      updateSubscription(ctx, ownedSub(em, session, textField(form, 'subscription')), { cancelAtPeriodEnd: true });
      return { redirect: `/p/session/${session.id}?done=canceled` };
    case 'resume':
      updateSubscription(ctx, ownedSub(em, session, textField(form, 'subscription')), { cancelAtPeriodEnd: false });
      return { redirect: `/p/session/${session.id}?done=resumed` };
    case 'change': {
      const sub = ownedSub(em, session, textField(form, 'subscription'));
      const item = sub.items.data[0];
      const quantity = Number.parseInt(textField(form, 'quantity'), 10);
      if (!item || !Number.isInteger(quantity) || quantity < 1) {
        throw new ApiError(400, { type: 'invalid_request_error', message: 'Please enter at least one seat.' });
      }
      const price = textField(form, 'price') || item.price.id;
      checkAllowed(em, session, item, price, quantity);
      updateSubscription(ctx, sub, { items: [{ id: item.id, price, quantity }], ...resumeIfCanceling(sub) });
      return { redirect: `/p/session/${session.id}?done=updated` };
    }
    case 'card':
      replaceCard(ctx, session, textField(form, 'card_number'));
      return { redirect: `/p/session/${session.id}?done=card` };
    case 'confirm_update': {
      const confirm = session.flow?.subscription_update_confirm;
      if (!confirm) break;
      const sub = ownedSub(em, session, confirm.subscription);
      const items = confirm.items.map((it) => {
        const current = sub.items.data.find((x) => x.id === it.id);
        if (current)
          checkAllowed(em, session, current, it.price ?? current.price.id, it.quantity ?? current.quantity ?? 1);
        return {
          ...(it.id ? { id: it.id } : {}),
          ...(it.price ? { price: it.price } : {}),
          ...(it.quantity !== undefined ? { quantity: it.quantity } : {}),
        };
      });
      updateSubscription(ctx, sub, { items, ...resumeIfCanceling(sub) });
      return finishFlow(session, 'updated');
    }
    case 'confirm_cancel': {
      const cancel = session.flow?.subscription_cancel;
      if (!cancel) break;
      updateSubscription(ctx, ownedSub(em, session, cancel.subscription), { cancelAtPeriodEnd: true });
      return finishFlow(session, 'canceled');
    }
  }
  throw new ApiError(400, { type: 'invalid_request_error', message: 'Unknown action.' });
}

export function handlePortalPage(
  em: Emulator,
  method: string,
  id: string,
  form: FormObject,
  query: URLSearchParams,
): PageResult {
  const session = em.store.portalSessions.get(id);
  if (!session) return notFoundPage('This billing portal session does not exist.');
  if (method === 'POST') {
    try {
      return act(em, session, form);
    } catch (e) {
      if (e instanceof ApiError)
        return { status: e.status, html: render(em, session, { kind: 'error', text: e.message }) };
      throw e;
    }
  }
  const done = DONE_MESSAGES[query.get('done') ?? ''];
  return { status: 200, html: render(em, session, done ? { kind: 'notice', text: done } : undefined) };
}
