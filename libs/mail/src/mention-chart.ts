import { spikeFlags, type MentionBucket, type StatsBucket } from '@app/domain';
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import { DateTime } from 'luxon';

/** One bar of the chart: a bucket's mentions, its baseline, whether a spike alert was given in it. */
interface ChartBucket {
  label: string;
  count: number;
  negative: number;
  baseline: number;
  spike: boolean;
}

const WIDTH = 720;
const HEIGHT = 260;
const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

/**
 * Mentions as bars (the negative ones stacked in red), the baseline as a dashed
 * line, and each bucket where a spike alert was given marked: Apache ECharts drawn
 * on the server to an SVG string (no DOM, no canvas).
 */
function mentionChartSvg(title: string, buckets: readonly ChartBucket[]): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT },
      title: { text: title, left: 8, top: 4, textStyle: { fontSize: 13, fontFamily: FONT } },
      legend: { top: 4, right: 20, textStyle: { fontSize: 11 } },
      grid: { left: 44, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: buckets.map((b) => b.label), axisLabel: { fontSize: 10 } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 10 } },
      series: [
        {
          name: 'negative',
          type: 'bar',
          stack: 'mentions',
          color: '#c0392b',
          data: buckets.map((b) => b.negative),
        },
        {
          name: 'other mentions',
          type: 'bar',
          stack: 'mentions',
          color: '#7f8c8d',
          data: buckets.map((b) => b.count - b.negative),
          markLine: {
            symbol: 'none',
            silent: true,
            lineStyle: { color: '#c0392b', type: 'solid', width: 2 },
            label: { formatter: 'spike', color: '#c0392b', fontSize: 10 },
            data: buckets.filter((b) => b.spike).map((b) => ({ xAxis: b.label })),
          },
        },
        {
          name: 'baseline',
          type: 'line',
          color: '#2c3e50',
          symbol: 'none',
          lineStyle: { type: 'dashed', width: 1.5 },
          data: buckets.map((b) => Math.round(b.baseline * 10) / 10),
        },
      ],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The chart of counted buckets, labelled with their local start (a day's date, else the time). */
export function mentionStatsChart(
  title: string,
  buckets: readonly MentionBucket[],
  spikes: ReadonlyArray<{ at: Date }>,
  bucket: StatsBucket,
  zone: string,
): string {
  const flags = spikeFlags(buckets, spikes);
  return mentionChartSvg(
    title,
    buckets.map((b, i) => ({
      label: DateTime.fromMillis(b.start, { zone }).toFormat(bucket === '1d' ? 'LLL d' : 'HH:mm'),
      count: b.count,
      negative: b.negative,
      baseline: b.baseline,
      spike: flags[i],
    })),
  );
}

/** The chart as a PNG, for mail clients that show no SVG (most webmail). */
export function svgToPng(svg: string): Buffer {
  return new Resvg(svg, {
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  })
    .render()
    .asPng();
}
