import { useTranslation } from 'react-i18next';
import { ChartFrame, type ChartData } from './ChartFrame.js';
import { useFigureText } from './FigureText.js';

const WIDTH = 720;
const HEIGHT = 260;
const MARGIN = { top: 16, bottom: 36, side: 56 };
const TICKS = 4;

/**
 * Lines over the months (the rows, oldest first), one per series, as SVG drawn by React. A hidden month
 * ("<5") is a gap in its line rather than a made-up point. Right to left, time runs from the right.
 */
export function LineChart(props: { caption: string; data: ChartData }) {
  const { i18n } = useTranslation();
  const text = useFigureText();
  const rtl = i18n.dir() === 'rtl';
  const { rows, series } = props.data;
  const max = Math.max(1, ...rows.flatMap((r) => r.values.filter((v): v is number => typeof v === 'number')));
  const plotWidth = WIDTH - 2 * MARGIN.side;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const step = rows.length > 1 ? plotWidth / (rows.length - 1) : 0;
  const x = (i: number) => {
    const offset = rows.length > 1 ? i * step : plotWidth / 2;
    return rtl ? WIDTH - MARGIN.side - offset : MARGIN.side + offset;
  };
  const y = (value: number) => MARGIN.top + plotHeight - (value / max) * plotHeight;
  const axisX = rtl ? WIDTH - MARGIN.side : MARGIN.side;
  // Each run of shown months is one path segment ("M" after a gap).
  const pathOf = (s: number) =>
    rows
      .map((row, i) => ({ value: row.values[s], i, previous: i > 0 ? rows[i - 1]!.values[s] : undefined }))
      .filter((p): p is { value: number; i: number; previous: typeof p.previous } => typeof p.value === 'number')
      .map((p) => `${typeof p.previous === 'number' ? 'L' : 'M'}${x(p.i)},${y(p.value)}`)
      .join(' ');
  return (
    <ChartFrame caption={props.caption} data={props.data}>
      {(labelledBy) => (
        <svg
          className="line-chart"
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          width="100%"
          role="img"
          aria-labelledby={labelledBy}
        >
          {Array.from({ length: TICKS + 1 }, (_, k) => {
            const value = Math.round((max * k) / TICKS);
            return (
              <g key={k}>
                <line className="grid" x1={MARGIN.side} x2={WIDTH - MARGIN.side} y1={y(value)} y2={y(value)} />
                <text className="tick-value" x={rtl ? axisX + 6 : axisX - 6} y={y(value)} dominantBaseline="middle">
                  {text(value)}
                </text>
              </g>
            );
          })}
          {rows.map((row, i) => (
            <text className="tick-month" key={row.key} x={x(i)} y={HEIGHT - MARGIN.bottom + 20}>
              {row.label}
            </text>
          ))}
          {series.map((s, index) => (
            <g key={s.name} className={s.className}>
              <path className="line" d={pathOf(index)} />
              {rows.map((row, i) => {
                const value = row.values[index];
                return typeof value === 'number' ? (
                  <circle className="point" key={row.key} cx={x(i)} cy={y(value)} r={4} />
                ) : null;
              })}
            </g>
          ))}
        </svg>
      )}
    </ChartFrame>
  );
}
