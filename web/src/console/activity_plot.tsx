// The account's activity over time as a uPlot chart: requests and distinct patients per
// bucket on the left axis, the detector's risk score on the right, a red line at each
// alert. uPlot draws on a canvas, so the same figures are also given as a table (for
// screen readers and keyboard users) by the screen around it.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { locale, t } from '../i18n';
import type { Activity } from './api';

const ALERT_COLOUR = '#b42318';

export function ActivityPlot(props: { series: Activity['series']; alertTimes: string[]; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const buckets = props.series.buckets;
    const xs = buckets.map((b) => Date.parse(b.start) / 1000);
    const marks = props.alertTimes.map((time) => Date.parse(time) / 1000);
    const data: uPlot.AlignedData = [
      xs,
      buckets.map((b) => b.requests),
      buckets.map((b) => b.patients),
      buckets.map((b) => b.risk),
    ];
    const markAlerts = (u: uPlot) => {
      const ctx = u.ctx;
      ctx.save();
      ctx.strokeStyle = ALERT_COLOUR;
      ctx.lineWidth = 2 * uPlot.pxRatio;
      ctx.setLineDash([6 * uPlot.pxRatio, 3 * uPlot.pxRatio]);
      for (const mark of marks) {
        const x = u.valToPos(mark, 'x', true);
        if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
      }
      ctx.restore();
    };
    // The whole window, to its end: an alert in the last bucket lies after its start.
    const from = Date.parse(props.series.from) / 1000;
    const until = Date.parse(props.series.until) / 1000;
    const short = props.series.bucket_seconds < 3600;
    const tick = new Intl.DateTimeFormat(
      locale(),
      short ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short', hour: '2-digit' },
    );
    const width = () => Math.max(320, el.clientWidth);
    const options: uPlot.Options = {
      width: width(),
      height: 300,
      scales: {
        x: { time: true, range: [from, until] },
        risk: { range: (_u, _min, max) => [0, Math.max(100, max ?? 0)] },
      },
      series: [
        { label: t('console.activity.time'), value: (_u, v) => (v === null ? '' : tick.format(new Date(v * 1000))) },
        { label: t('console.activity.requests'), stroke: '#0b5cad', width: 2, fill: 'rgba(11,92,173,0.08)' },
        { label: t('console.activity.patients'), stroke: '#1a7f37', width: 2 },
        {
          label: t('console.activity.risk'),
          stroke: '#9a6700',
          width: 2,
          scale: 'risk',
          spanGaps: true,
          points: { show: true, size: 6 },
        },
      ],
      axes: [
        { values: (_u, splits) => splits.map((v) => tick.format(new Date(v * 1000))) },
        { label: t('console.activity.requests') },
        { scale: 'risk', side: 1, label: t('console.activity.risk'), grid: { show: false } },
      ],
      hooks: { draw: [markAlerts] },
    };
    const plot = new uPlot(options, data, el);
    const resize = () => plot.setSize({ width: width(), height: 300 });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [props.series, props.alertTimes]);
  return <div class="plot" ref={box} role="img" aria-label={props.label} data-testid="activity-plot" />;
}
