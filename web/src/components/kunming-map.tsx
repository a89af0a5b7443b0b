import kunmingGeo from 'virtual:kunming-geo';
import { MapChart, type MapSeriesOption } from 'echarts/charts';
import {
  TooltipComponent,
  type TooltipComponentOption,
  VisualMapComponent,
  type VisualMapComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what the map needs, so the ECharts chunk stays small and loads with this page alone.
echarts.use([MapChart, TooltipComponent, VisualMapComponent, CanvasRenderer]);

type MapOption = echarts.ComposeOption<MapSeriesOption | TooltipComponentOption | VisualMapComponentOption>;

export const KUNMING_MAP = 'kunming';
let registered = false;
function ensureMap() {
  if (registered) return;
  echarts.registerMap(KUNMING_MAP, kunmingGeo as Parameters<typeof echarts.registerMap>[1]);
  registered = true;
}

/** Names of the county polygons in the map (as in the GeoJSON features). */
export const kunmingFeatureNames: readonly string[] = kunmingGeo.features.map((f) => f.properties.name);

export type MapDatum = {
  /** The feature name in the GeoJSON. */
  name: string;
  value: number;
  label: string;
  /** Tooltip line(s) after the label. */
  detail: string;
};

export function KunmingMap({
  data,
  valueFormatter,
  noDataLabel,
  ariaLabel,
}: {
  data: MapDatum[];
  valueFormatter: (v: number) => string;
  noDataLabel: string;
  ariaLabel: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!el.current) return;
    ensureMap();
    const instance = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    // Resize in the next frame: resizing inside the observer callback can loop.
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => instance.resize());
    });
    observer.observe(el.current);
    const onBeforePrint = () => instance.resize();
    window.addEventListener('beforeprint', onBeforePrint);
    return () => {
      window.removeEventListener('beforeprint', onBeforePrint);
      observer.disconnect();
      cancelAnimationFrame(frame);
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    const byName = new Map(data.map((d) => [d.name, d]));
    const values = data.map((d) => d.value);
    const min = values.length ? Math.min(...values) : 0;
    const max = values.length ? Math.max(...values) : 1;
    const option: MapOption = {
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          const params = Array.isArray(p) ? p[0] : p;
          const d = params ? byName.get(String(params.name)) : undefined;
          if (!d) return `${params?.name ?? ''}<br/>${noDataLabel}`;
          return `<b>${d.label}</b><br/>${d.detail}`;
        },
      },
      visualMap: {
        type: 'continuous',
        min,
        max: max === min ? min + 1 : max,
        left: 8,
        bottom: 8,
        calculable: false,
        itemHeight: 120,
        text: [valueFormatter(max), valueFormatter(min)],
        inRange: { color: ['#e6f0fb', '#7fb2e5', '#1d63b4', '#0b3a75'] },
        textStyle: { color: '#3b4756' },
      },
      series: [
        {
          type: 'map',
          map: KUNMING_MAP,
          roam: false,
          layoutCenter: ['50%', '50%'],
          layoutSize: '98%',
          label: {
            show: true,
            fontSize: 12,
            color: '#10253f',
            formatter: (p) => byName.get(String(p.name))?.label ?? String(p.name),
            textBorderColor: '#ffffff',
            textBorderWidth: 2,
          },
          itemStyle: { borderColor: '#ffffff', borderWidth: 1, areaColor: '#eef1f5' },
          emphasis: { label: { show: true }, itemStyle: { areaColor: '#ffc53d' } },
          select: { disabled: true },
          // Dark districts get white labels so the dense centre stays readable.
          data: data.map((d) => {
            const dark = max > min && (d.value - min) / (max - min) > 0.55;
            return {
              name: d.name,
              value: d.value,
              label: dark ? { color: '#ffffff', textBorderColor: '#0b3a75' } : undefined,
            };
          }),
        },
      ],
    };
    instance.setOption(option, true);
  }, [data, valueFormatter, noDataLabel]);

  return <div ref={el} className="map-canvas" role="img" aria-label={ariaLabel} data-testid="kunming-map" />;
}
