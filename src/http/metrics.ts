// Request counters and latency sums in the Prometheus text format (GET /metrics).

/** Counts requests by route and status, and time spent per route. */
export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly seconds = new Map<string, number>();

  observe(route: string, status: number, elapsedMs: number): void {
    const key = `route="${route}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    this.seconds.set(route, (this.seconds.get(route) ?? 0) + elapsedMs / 1000);
  }

  render(): string {
    const lines = [
      "# HELP zhicheng_http_requests_total HTTP requests by route and status.",
      "# TYPE zhicheng_http_requests_total counter",
      ...[...this.requests].map(([k, v]) => `zhicheng_http_requests_total{${k}} ${v}`),
      "# HELP zhicheng_http_request_seconds_total Time spent serving requests, by route.",
      "# TYPE zhicheng_http_request_seconds_total counter",
      ...[...this.seconds].map(
        ([route, v]) => `zhicheng_http_request_seconds_total{route="${route}"} ${v.toFixed(6)}`,
      ),
    ];
    return `${lines.join("\n")}\n`;
  }
}
