import { formatNumber, formatShortDate } from '../lib/format';
import type { DailyPoint } from './DailyUsageChart';

/** The charts' numbers as a table, for screen readers and for anyone who wants the exact figures. */
export function DailyUsageTable({ days }: { days: readonly DailyPoint[] }) {
  const withData = days.filter((d) => d.sessions || d.events || d.enrichments);
  return (
    <details className="details">
      <summary>Show daily numbers</summary>
      {withData.length === 0 ? (
        <p className="muted">No usage recorded yet this period.</p>
      ) : (
        <table className="table table--compact">
          <caption className="sr-only">Usage per day</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col" className="num">
                Sessions
              </th>
              <th scope="col" className="num">
                Events
              </th>
              <th scope="col" className="num">
                Enrichments
              </th>
            </tr>
          </thead>
          <tbody>
            {withData.map((d) => (
              <tr key={d.day}>
                <th scope="row">{formatShortDate(`${d.day}T00:00:00Z`)}</th>
                <td className="num">{formatNumber(d.sessions)}</td>
                <td className="num">{formatNumber(d.events)}</td>
                <td className="num">{formatNumber(d.enrichments)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
