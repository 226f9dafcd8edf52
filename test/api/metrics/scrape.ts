/** The value of one series in a Prometheus text scrape, e.g. `ahe_imports_total{outcome="refused"}`; undefined when absent. */
export function sampleOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Whether any series of the metric `name` is in the scrape (its HELP and TYPE lines aside). */
export function hasSeries(text: string, name: string): boolean {
  return text.split('\n').some((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}
