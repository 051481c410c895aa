// A vital sign over time: one uPlot line chart (canvas; its styles come from uPlot's
// stylesheet and the DOM, nothing inline in markup). The values are also listed in the
// observations table for screen readers and keyboard users.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { formatDate, formatNumber } from '../i18n';

export interface Point {
  time: number; // Unix milliseconds
  value: number;
}

export function VitalChart(props: { points: Point[]; label: string; unit: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element || props.points.length === 0) return;
    const sorted = [...props.points].sort((a, b) => a.time - b.time);
    const data: uPlot.AlignedData = [sorted.map((p) => p.time / 1000), sorted.map((p) => p.value)];
    const width = () => Math.max(280, element.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 220,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true } },
        axes: [
          { values: (_u, ticks) => ticks.map((s) => formatDate(new Date(s * 1000).toISOString())) },
          { label: props.unit, values: (_u, ticks) => ticks.map((v) => formatNumber(v)) },
        ],
        series: [{}, { label: props.label, stroke: '#0b5cad', width: 2, points: { show: true, size: 5 } }],
      },
      data,
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: 220 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.points, props.label, props.unit]);
  return <div class="chart" ref={host} role="img" aria-label={`${props.label} (${props.unit})`} />;
}
