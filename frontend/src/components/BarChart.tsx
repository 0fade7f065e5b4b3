// Stacked SVG bar chart of results per hour (success / failure). No chart library.
import type { HourBucket } from "../lib/chart";
import { countTicks, niceMax } from "../lib/chart";
import { formatClock } from "../format";

export function ResultsChart({ buckets }: { buckets: HourBucket[] }) {
  const W = 720;
  const H = 180;
  const pad = { l: 34, r: 8, t: 10, b: 22 };
  const iw = W - pad.l - pad.r;
  const ih = H - pad.t - pad.b;
  const max = niceMax(Math.max(0, ...buckets.map((b) => b.ok + b.fail)));
  const bw = iw / Math.max(1, buckets.length);
  const y = (v: number) => pad.t + ih - (v / max) * ih;
  const ticks = countTicks(max);
  const totalOk = buckets.reduce((s, b) => s + b.ok, 0);
  const totalFail = buckets.reduce((s, b) => s + b.fail, 0);
  const hourLabel = (ms: number) => formatClock(ms).slice(0, 5);
  return (
    <figure style={{ margin: 0 }} data-testid="results-chart">
      <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Results per hour, last ${buckets.length} hours: ${totalOk} succeeded, ${totalFail} failed`}>
        {ticks.map((t) => (
          <g key={t}>
            <line className="grid-line" x1={pad.l} x2={W - pad.r} y1={y(t)} y2={y(t)} />
            <text x={pad.l - 6} y={y(t) + 3} textAnchor="end" data-testid="chart-tick">
              {t}
            </text>
          </g>
        ))}
        {buckets.map((b, i) => {
          const x = pad.l + i * bw;
          const gap = Math.min(3, bw * 0.2);
          const okH = (b.ok / max) * ih;
          const failH = (b.fail / max) * ih;
          return (
            <g key={b.start}>
              <rect className="bar-ok" x={x + gap / 2} width={bw - gap} y={pad.t + ih - okH} height={okH} rx={1.5} />
              <rect className="bar-fail" x={x + gap / 2} width={bw - gap} y={pad.t + ih - okH - failH} height={failH} rx={1.5} />
              <rect className="hit" x={x} width={bw} y={pad.t} height={ih}>
                <title>{`${hourLabel(b.start)}–${hourLabel(b.start + 3600_000)}: ${b.ok} ok, ${b.fail} failed`}</title>
              </rect>
              {i % 3 === 0 && (
                <text x={x + bw / 2} y={H - 6} textAnchor="middle">
                  {hourLabel(b.start)}
                </text>
              )}
            </g>
          );
        })}
        <line className="axis" x1={pad.l} x2={W - pad.r} y1={pad.t + ih} y2={pad.t + ih} />
      </svg>
      <figcaption className="legend">
        <span>
          <i style={{ background: "var(--ok)" }} />
          success {totalOk}
        </span>
        <span>
          <i style={{ background: "var(--fail)" }} />
          failure {totalFail}
        </span>
      </figcaption>
    </figure>
  );
}
