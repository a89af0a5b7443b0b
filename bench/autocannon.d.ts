// Minimal types for the parts of autocannon the HTTP benchmark uses (the package ships none).
declare module 'autocannon' {
  namespace autocannon {
    type Options = {
      url: string;
      method?: string;
      headers?: Record<string, string>;
      body?: string;
      connections?: number;
      duration?: number;
    };
    type Histogram = { average: number; total: number; p50: number; p90: number; p99: number; max: number };
    type Result = { requests: Histogram; latency: Histogram; errors: number; non2xx: number };
  }
  function autocannon(opts: autocannon.Options): Promise<autocannon.Result>;
  export default autocannon;
}
