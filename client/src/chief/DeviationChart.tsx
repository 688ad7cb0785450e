import type { BarSeriesOption } from 'echarts/charts';
import { BarChart } from 'echarts/charts';
import type { GridComponentOption, TooltipComponentOption } from 'echarts/components';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { type ComposeOption, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what the charts use: bars on a grid, drawn to canvas.
use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

type Option = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

/** A deviation as the table writes it: +0.50, −0.50 (a real minus sign). */
export const signed = (n: number | null) =>
  n === null ? '–' : `${n > 0 ? '+' : n < 0 ? '−' : ''}${Math.abs(n).toFixed(2)}`;

const FONT = '"Noto Sans SC", system-ui, sans-serif';

export interface ChartBar {
  label: string;
  value: number;
}

/** One judge's deviations as bars (above the line: marked higher than the panel), on a shared scale. */
export function DeviationChart(props: { bars: ChartBar[]; limit: number; label: string; outlier: boolean }) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof init> | null>(null);

  useEffect(() => {
    if (!element.current) return;
    const instance = init(element.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const resize = () => instance.resize();
    globalThis.addEventListener('resize', resize);
    return () => {
      globalThis.removeEventListener('resize', resize);
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const option: Option = {
      animation: false,
      textStyle: { fontFamily: FONT },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        textStyle: { fontFamily: FONT, fontSize: 12 },
        valueFormatter: (v) => signed(typeof v === 'number' ? v : Number(v)),
      },
      grid: { left: 36, right: 8, top: 8, bottom: 8, containLabel: false },
      xAxis: {
        type: 'category',
        data: props.bars.map((b) => b.label),
        axisLabel: { show: false },
        axisTick: { show: false },
        axisLine: { onZero: true, lineStyle: { color: '#5d6677' } },
      },
      yAxis: {
        type: 'value',
        min: -props.limit,
        max: props.limit,
        interval: props.limit / 2,
        axisLabel: {
          fontSize: 10,
          color: '#5d6677',
          formatter: (v: number) => (v > 0 ? `+${v}` : v < 0 ? `−${-v}` : '0'),
        },
        splitLine: { lineStyle: { color: '#e8ebf0' } },
      },
      series: [
        {
          type: 'bar',
          barMaxWidth: 12,
          data: props.bars.map((b) => ({
            value: b.value,
            itemStyle: { color: b.value >= 0 ? (props.outlier ? '#b3261e' : '#d9776f') : '#4a7bd0' },
          })),
        },
      ],
    };
    chart.current?.setOption(option, true);
  }, [props.bars, props.limit, props.outlier]);

  return <div ref={element} className="deviation-chart" role="img" aria-label={props.label} />;
}
