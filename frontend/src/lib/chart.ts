/** Scales for the small SVG charts: dates across, values up, with room for the baseline and target. */
export type Point = { date: string; value: number };

export function scales(points: Point[], lines: number[], width: number, height: number, pad = 32) {
  const times = points.map((p) => Date.parse(p.date));
  const values = [...points.map((p) => p.value), ...lines];
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  let [v0, v1] = [Math.min(...values), Math.max(...values)];
  if (v0 === v1) [v0, v1] = [v0 - 1, v1 + 1];
  const x = (date: string) => (t1 === t0 ? width / 2 : pad + ((Date.parse(date) - t0) / (t1 - t0)) * (width - 2 * pad));
  const y = (value: number) => height - pad - ((value - v0) / (v1 - v0)) * (height - 2 * pad);
  return { x, y };
}

const BOUND: Record<string, string> = { eq: "", lt: "< ", gt: "> ", approx: "≈ " };

/** A value as its source bounds it: "< 5" is under five, "≈ 20" about twenty. */
export function qualified(value: string | number, qualifier?: string | null): string {
  return `${BOUND[qualifier ?? "eq"] ?? ""}${value}`;
}

/**
 * The pieces a series' line is drawn in, oldest first: a value flagged as a break in series
 * starts a new piece, so no line joins it to the values before it.
 */
export function segments<T extends { date: string; flags?: readonly string[] | null }>(points: readonly T[]): T[][] {
  const pieces: T[][] = [];
  for (const point of [...points].sort((a, b) => a.date.localeCompare(b.date))) {
    const last = pieces.at(-1);
    if (!last || point.flags?.includes("break_in_series")) pieces.push([point]);
    else last.push(point);
  }
  return pieces;
}
