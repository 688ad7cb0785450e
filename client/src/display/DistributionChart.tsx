import { BarChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import { type EChartsType, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { Bin } from './model';

use([BarChart, GridComponent, CanvasRenderer]);

const label = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** The distribution of a round's totals as bars (Apache ECharts, canvas), in the screen's colours. */
export function DistributionChart({ bins, fontSize }: { bins: Bin[]; fontSize: number }) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);

  useEffect(() => {
    if (!element.current) return;
    const instance = init(element.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    // The card's size follows the screen's base size (set after a window resize): watch the element itself.
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({
      animationDurationUpdate: 600,
      grid: { left: fontSize * 2.2, right: fontSize * 0.6, top: fontSize * 1.4, bottom: fontSize * 2 },
      xAxis: {
        type: 'category',
        data: bins.map((b) => label(b.from)),
        axisLabel: { color: '#9fb3d9', fontSize: fontSize * 0.85, interval: 0 },
        axisLine: { lineStyle: { color: '#33476e' } },
        axisTick: { show: false },
      },
      yAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: { color: '#9fb3d9', fontSize: fontSize * 0.8 },
        splitLine: { lineStyle: { color: '#1d2b48' } },
      },
      series: [
        {
          type: 'bar',
          data: bins.map((b) => b.count),
          barWidth: '62%',
          itemStyle: { color: '#35c2ff', borderRadius: [4, 4, 0, 0] },
          label: { show: true, position: 'top', color: '#e8f1ff', fontSize: fontSize * 0.9 },
        },
      ],
    });
  }, [bins, fontSize]);

  return <div ref={element} className="chart" data-testid="distribution" />;
}
