import type Stripe from 'stripe';
import { type FormObject, textField } from '../form';
import { formatAmount, intervalLabel } from '../money';
import { answerChallenge, checkoutLines, completeCheckout } from '../resources/checkout-sessions';
import { productName } from '../resources/products';
import type { Emulator } from '../state';
import { esc, layout, notFoundPage, type PageResult } from './html';

function summary(em: Emulator, cs: Stripe.Checkout.Session): string {
  const lines = checkoutLines(em.ctx(), cs.id);
  if (lines.length === 0) return '';
  let interval = '';
  const items = lines
    .map((line) => {
      const price = em.store.prices.get(line.price);
      if (!price) return '';
      const amount = formatAmount((price.unit_amount ?? 0) * line.quantity, price.currency);
      const per = price.recurring
        ? ` / ${intervalLabel(price.recurring.interval, price.recurring.interval_count)}`
        : '';
      if (per) interval = per;
      return `<li>${esc(productName(em, price))} × ${line.quantity} — ${esc(amount)}${esc(per)}</li>`;
    })
    .join('\n');
  const total = formatAmount(cs.amount_total ?? 0, cs.currency ?? 'eur');
  return `<section aria-labelledby="summary-heading">
<h2 id="summary-heading">Order summary</h2>
<ul>${items}</ul>
<p><strong>Total due today: <span data-testid="total">${esc(total)}</span></strong>${interval ? ` <span class="muted">then ${esc(total)}${esc(interval)}</span>` : ''}</p>
</section>`;
}

function render(em: Emulator, cs: Stripe.Checkout.Session, opts: { error?: string; email?: string } = {}): string {
  const title = cs.mode === 'setup' ? 'Save a card' : cs.mode === 'subscription' ? 'Subscribe' : 'Pay';
  if (cs.status !== 'open') {
    const done = cs.status === 'complete';
    const body = `<h1>${done ? 'Payment complete' : 'Session expired'}</h1>
<p role="status">${done ? 'This checkout session is already complete.' : 'This checkout session has expired.'}</p>
${done && cs.success_url ? `<p><a href="${esc(cs.success_url.replace('{CHECKOUT_SESSION_ID}', cs.id))}">Continue</a></p>` : ''}`;
    return layout(title, body);
  }
  const customerId = typeof cs.customer === 'string' ? cs.customer : (cs.customer?.id ?? null);
  const knownEmail =
    opts.email ?? cs.customer_email ?? (customerId ? em.store.customers.get(customerId)?.email : null) ?? '';
  const button = cs.mode === 'setup' ? 'Save card' : 'Pay';
  const body = `<h1>${esc(title)}</h1>
${summary(em, cs)}
${opts.error ? `<p class="error" role="alert">${esc(opts.error)}</p>` : ''}
<form method="post" action="/c/pay/${esc(cs.id)}" novalidate>
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" value="${esc(knownEmail)}">
<label for="card_number">Card number</label>
<input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242" required aria-describedby="card-hint">
<p id="card-hint" class="muted"><small>Test mode: use a Stripe test card number.</small></p>
<label for="card_expiry">Expiry (MM / YY)</label>
<input id="card_expiry" name="card_expiry" autocomplete="cc-exp" placeholder="12 / 34">
<label for="card_cvc">CVC</label>
<input id="card_cvc" name="card_cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="123">
<label for="name">Name on card</label>
<input id="name" name="name" autocomplete="cc-name">
<button type="submit">${button}</button>
</form>
${cs.cancel_url ? `<p><a href="${esc(cs.cancel_url)}">Cancel</a></p>` : ''}
<script>
document.getElementById('card_number').addEventListener('input', function (e) {
  var digits = e.target.value.replace(/\\D/g, '').slice(0, 19);
  e.target.value = digits.replace(/(.{4})/g, '$1 ').trim();
});
</script>`;
  return layout(`${title} — Contox`, body);
}

export function handleCheckoutPage(em: Emulator, method: string, id: string, form: FormObject): PageResult {
  const cs = em.store.checkoutSessions.get(id);
  if (!cs) return notFoundPage('This checkout session does not exist.');
  if (method !== 'POST') return { status: 200, html: render(em, cs) };
  const email = textField(form, 'email');
  const result = completeCheckout(
    em.ctx(),
    id,
    textField(form, 'card_number'),
    { email, name: textField(form, 'name') },
    'ask',
  );
  if (result.ok) return { redirect: result.redirect };
  if ('challenge' in result) return { redirect: `/c/pay/${encodeURIComponent(id)}/authenticate` };
  return { status: 402, html: render(em, cs, { error: result.message, email }) };
}

function renderChallenge(cs: Stripe.Checkout.Session): string {
  const amount = formatAmount(cs.amount_total ?? 0, cs.currency ?? 'eur');
  const action = `/c/pay/${esc(cs.id)}/authenticate`;
  return layout(
    '3D Secure 2 Test Page — Contox',
    `<h1>3D Secure 2 Test Page</h1>
<p>Your bank asks you to confirm this payment of <strong data-testid="challenge-amount">${esc(amount)}</strong>.</p>
<p class="muted"><small>Test mode: choose whether the authentication succeeds.</small></p>
<form method="post" action="${action}"><input type="hidden" name="outcome" value="complete">
<button type="submit">Complete authentication</button></form>
<form method="post" action="${action}"><input type="hidden" name="outcome" value="fail">
<button type="submit" class="secondary">Fail authentication</button></form>`,
  );
}

/**
 * The 3-D Secure challenge of a payment-mode checkout, as Stripe's test page shows it: completing it charges
 * the card and finishes the checkout; failing it returns to the checkout page, where another card may be tried.
 */
export function handleChallengePage(em: Emulator, method: string, id: string, form: FormObject): PageResult {
  const cs = em.store.checkoutSessions.get(id);
  if (!cs) return notFoundPage('This checkout session does not exist.');
  const pi = typeof cs.payment_intent === 'string' ? em.store.paymentIntents.get(cs.payment_intent) : undefined;
  if (cs.status !== 'open' || pi?.status !== 'requires_action') return { redirect: `/c/pay/${encodeURIComponent(id)}` };
  if (method !== 'POST') return { status: 200, html: renderChallenge(cs) };
  const result = answerChallenge(em.ctx(), id, textField(form, 'outcome') === 'complete');
  if (result.ok) return { redirect: result.redirect };
  return { status: 402, html: render(em, cs, { error: result.message }) };
}
