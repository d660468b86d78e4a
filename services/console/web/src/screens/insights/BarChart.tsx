import { useTranslation } from 'react-i18next';
import { ChartFrame, type ChartData } from './ChartFrame.js';
import { plotted, SUPPRESSED } from './figures.js';
import { useFigureText, useSuppressedMark } from './FigureText.js';

const WIDTH = 720;
const LABEL = 210;
const VALUE = 70;
const BAR = 16;
const GAP = 12;

// "<5" keeps its reading order inside right-to-left text (an isolate, as <bdi> does in HTML).
const isolated = (text: string) => `\u2066${text}\u2069`;

/**
 * Horizontal bars, one group per row and one bar per series, drawn by React as SVG (no inline style:
 * the console's CSP refuses it). Right to left, the bars grow from the right edge. A hidden cell ("<5")
 * has no bar, only its label.
 */
export function BarChart(props: { caption: string; data: ChartData }) {
  const { i18n } = useTranslation();
  const text = useFigureText();
  const mark = useSuppressedMark();
  const rtl = i18n.dir() === 'rtl';
  const { rows, series } = props.data;
  const max = Math.max(1, ...rows.flatMap((r) => r.values.map(plotted)));
  const plotWidth = WIDTH - LABEL - VALUE;
  const groupHeight = series.length * BAR + GAP;
  const height = rows.length * groupHeight + GAP;
  // The edge bars start from: the left one, or the right one when the page reads right to left.
  const origin = rtl ? WIDTH - LABEL : LABEL;
  const along = (length: number) => (rtl ? origin - length : origin + length);
  return (
    <ChartFrame caption={props.caption} data={props.data}>
      {(labelledBy) => (
        <svg
          className="bar-chart"
          viewBox={`0 0 ${WIDTH} ${height}`}
          width="100%"
          role="img"
          aria-labelledby={labelledBy}
          preserveAspectRatio="xMidYMin meet"
        >
          <line className="axis" x1={origin} x2={origin} y1={0} y2={height} />
          {rows.map((row, r) => {
            const top = GAP / 2 + r * groupHeight;
            return (
              <g key={row.key}>
                <text className="bar-label" x={along(-8)} y={top + (series.length * BAR) / 2} dominantBaseline="middle">
                  {row.label}
                </text>
                {row.values.map((value, s) => {
                  const length = (plotted(value) / max) * plotWidth;
                  const y = top + s * BAR;
                  return (
                    <g key={series[s]!.name}>
                      <rect
                        className={`bar ${series[s]!.className}${value === SUPPRESSED ? ' bar-suppressed' : ''}`}
                        x={rtl ? origin - length : origin}
                        y={y + 1}
                        width={length}
                        height={BAR - 2}
                      />
                      <text className="bar-value" x={along(length + 4)} y={y + BAR / 2} dominantBaseline="middle">
                        {value === SUPPRESSED ? isolated(mark) : text(value, props.data.kind)}
                      </text>
                    </g>
                  );
                })}
              </g>
            );
          })}
        </svg>
      )}
    </ChartFrame>
  );
}
