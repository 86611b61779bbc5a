import { formatAmount } from '../money';
import type { Emulator } from '../state';
import { esc, formatDate, layout, notFoundPage, type PageResult } from './html';

export function handleInvoicePage(em: Emulator, id: string): PageResult {
  const inv = em.store.invoices.get(id);
  if (!inv) return notFoundPage('This invoice does not exist.');
  const rows = inv.lines.data
    .map((l) => `<tr><td>${esc(l.description)}</td><td>${esc(formatAmount(l.amount, l.currency))}</td></tr>`)
    .join('');
  const body = `<h1>Invoice ${esc(inv.number ?? inv.id)}</h1>
<p>Issued ${esc(formatDate(inv.created))} to ${esc(inv.customer_email ?? inv.customer_name ?? '')}</p>
<p>Status: <span class="badge">${esc(inv.status)}</span></p>
<table><thead><tr><th scope="col">Description</th><th scope="col">Amount</th></tr></thead><tbody>${rows}</tbody></table>
<p><strong>Total: ${esc(formatAmount(inv.total, inv.currency))}</strong></p>
<p>Amount paid: ${esc(formatAmount(inv.amount_paid, inv.currency))}</p>`;
  return { status: 200, html: layout(`Invoice ${inv.number ?? inv.id}`, body) };
}

export function handleIndexPage(em: Emulator): PageResult {
  const body = `<h1>Stripe emulator</h1>
<p>API base: <code>${esc(em.publicUrl)}/v1</code></p>
<p>${em.store.customers.size} customers, ${em.store.subscriptions.size} subscriptions, ${em.store.events.size} events.</p>`;
  return { status: 200, html: layout('Stripe emulator', body) };
}
