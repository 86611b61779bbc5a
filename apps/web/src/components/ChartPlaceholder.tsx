/** Holds the chart's place while the chart code loads, so nothing below jumps. */
export function ChartPlaceholder({ height }: { height: number }) {
  return <div className="chart-placeholder" style={{ height }} aria-hidden="true" />;
}
