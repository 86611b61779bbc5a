import type { ServerResponse } from 'node:http';

export type PageResult = { status: number; html: string } | { redirect: string };

export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f6f8fa;color:#1a1f36}
main{max-width:34rem;margin:2rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.4rem;margin-top:0}h2{font-size:1.1rem}
label{display:block;margin:.8rem 0 .3rem;font-weight:600}
input,select{width:100%;box-sizing:border-box;padding:.55rem;border:1px solid #c1c9d2;border-radius:4px;font-size:1rem}
button{margin-top:1rem;padding:.6rem 1.2rem;border:0;border-radius:4px;background:#635bff;color:#fff;font-size:1rem;cursor:pointer}
button.secondary{background:#e3e8ee;color:#1a1f36}
.error{color:#b3093c;background:#fff0f3;padding:.6rem;border-radius:4px}
.notice{color:#0a6640;background:#ecfdf3;padding:.6rem;border-radius:4px}
.muted{color:#697386}table{width:100%;border-collapse:collapse}td,th{text-align:left;padding:.3rem;border-bottom:1px solid #e3e8ee}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:1rem;background:#e3e8ee;font-size:.85rem}
`;

export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
<p class="muted"><small>Stripe emulator — test mode</small></p>
</main>
</body>
</html>`;
}

export function sendPage(res: ServerResponse, page: PageResult): void {
  if ('redirect' in page) {
    res.writeHead(303, { Location: page.redirect });
    res.end();
    return;
  }
  res.writeHead(page.status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(page.html);
}

export function formatDate(unix: number): string {
  return new Date(unix * 1000).toISOString().slice(0, 10);
}

export function notFoundPage(what: string): PageResult {
  return { status: 404, html: layout('Not found', `<h1>Not found</h1><p>${esc(what)}</p>`) };
}
