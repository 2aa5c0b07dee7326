// One benchmark figure: printed as a table line or, with --json, one JSON object.
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** what the ratio is against, e.g. 'numpy (same run)' */
  baseline: string | null;
  baselineValue: number | null;
  ratio: number | null;
  adapter: string;
}
