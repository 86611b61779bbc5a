import type Stripe from 'stripe';
import { ApiError } from '../errors';
import { type FormObject, textField } from '../form';
import { formatAmount } from '../money';
import { payInvoice } from '../resources/invoices';
import { attachPaymentMethod, cardForNumber, createCardPaymentMethod } from '../resources/payment-methods';
import type { Emulator } from '../state';
import { esc, formatDate, layout, notFoundPage, type PageResult } from './html';

/** Stripe's hosted invoice page lets whoever has the link pay an open invoice with a card. */
const PAY_FORM = `<form method="post">
<label for="card_number">Card number</label>
<input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" required>
<button type="submit">Pay this invoice</button>
</form>`;

function render(inv: Stripe.Invoice, message?: { kind: 'error' | 'notice'; text: string }): string {
  const rows = inv.lines.data
    .map((l) => `<tr><td>${esc(l.description)}</td><td>${esc(formatAmount(l.amount, l.currency))}</td></tr>`)
    .join('');
  return `<h1>Invoice ${esc(inv.number ?? inv.id)}</h1>
${message ? `<p class="${message.kind}" role="${message.kind === 'error' ? 'alert' : 'status'}">${esc(message.text)}</p>` : ''}
<p>Issued ${esc(formatDate(inv.created))} to ${esc(inv.customer_email ?? inv.customer_name ?? '')}</p>
<p>Status: <span class="badge">${esc(inv.status)}</span></p>
<table><thead><tr><th scope="col">Description</th><th scope="col">Amount</th></tr></thead><tbody>${rows}</tbody></table>
<p><strong>Total: ${esc(formatAmount(inv.total, inv.currency))}</strong></p>
<p>Amount paid: ${esc(formatAmount(inv.amount_paid, inv.currency))}</p>
${inv.status === 'open' ? PAY_FORM : ''}`;
}

/** Pays the open invoice with the card entered, attached to the invoice's customer; a declined card is shown. */
function pay(em: Emulator, inv: Stripe.Invoice, form: FormObject): void {
  const ctx = em.ctx();
  const customerId = typeof inv.customer === 'string' ? inv.customer : (inv.customer?.id ?? '');
  const pm = createCardPaymentMethod(ctx, cardForNumber(textField(form, 'card_number')), {
    email: inv.customer_email,
    name: inv.customer_name,
  });
  attachPaymentMethod(ctx, pm, customerId);
  const result = payInvoice(ctx, inv, 'on_session', pm.id);
  if (!result.ok) {
    throw result.error ?? new ApiError(402, { type: 'card_error', message: 'The payment did not go through.' });
  }
  em.scheduleSnapshot();
}

export function handleInvoicePage(em: Emulator, method: string, id: string, form: FormObject): PageResult {
  const inv = em.store.invoices.get(id);
  if (!inv) return notFoundPage('This invoice does not exist.');
  const title = `Invoice ${inv.number ?? inv.id}`;
  if (method === 'POST') {
    try {
      pay(em, inv, form);
    } catch (e) {
      if (e instanceof ApiError)
        return { status: e.status, html: layout(title, render(inv, { kind: 'error', text: e.message })) };
      throw e;
    }
    return {
      status: 200,
      html: layout(title, render(inv, { kind: 'notice', text: 'Thank you: the invoice is paid.' })),
    };
  }
  return { status: 200, html: layout(title, render(inv)) };
}

export function handleIndexPage(em: Emulator): PageResult {
  const body = `<h1>Stripe emulator</h1>
<p>API base: <code>${esc(em.publicUrl)}/v1</code></p>
<p>${em.store.customers.size} customers, ${em.store.subscriptions.size} subscriptions, ${em.store.events.size} events.</p>`;
  return { status: 200, html: layout('Stripe emulator', body) };
}
