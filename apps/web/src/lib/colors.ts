// SVG presentation attributes do not resolve CSS variables everywhere, so charts take literal colours
// (kept in step with the palette in styles.css).
export const chartColors = {
  sessions: '#6366f1',
  events: '#0ea5e9',
  enrichments: '#f59e0b',
  balance: '#10b981',
  grid: '#e5e7eb',
  cursor: 'rgba(99, 102, 241, 0.08)',
} as const;
