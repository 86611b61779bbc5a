import type { OpenAPIObject } from 'trpc-to-openapi';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/** A self-contained reference page (no CDN: the service must work offline). */
export function renderDocsPage(doc: OpenAPIObject): string {
  const sections: string[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Record<string, unknown>>)) {
      if (typeof op !== 'object' || op === null || !('responses' in op)) continue;
      const body = (op.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined)?.content?.[
        'application/json'
      ]?.schema;
      const params = op.parameters as unknown[] | undefined;
      const ok = (op.responses as Record<string, { content?: Record<string, { schema?: unknown }> }>)['200']?.content?.[
        'application/json'
      ]?.schema;
      sections.push(`<section id="${escapeHtml(`${method}-${path}`)}">
<h2><code>${method.toUpperCase()} ${escapeHtml(path)}</code></h2>
<p>${escapeHtml(String(op.summary ?? op.description ?? ''))}</p>
${params?.length ? `<h3>Query parameters</h3><pre>${escapeHtml(JSON.stringify(params, null, 2))}</pre>` : ''}
${body ? `<h3>Request body</h3><pre>${escapeHtml(JSON.stringify(body, null, 2))}</pre>` : ''}
${ok ? `<h3>Response 200</h3><pre>${escapeHtml(JSON.stringify(ok, null, 2))}</pre>` : ''}
</section>`);
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(doc.info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
pre{background:#f4f5f7;padding:.75rem;overflow:auto;border-radius:6px}h2{border-top:1px solid #ddd;padding-top:1rem}</style>
</head><body><h1>${escapeHtml(doc.info.title)}</h1><p>${escapeHtml(doc.info.description ?? '')}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${escapeHtml(doc.openapi)}).</p>
${sections.join('\n')}</body></html>`;
}
