/** The West Midlands' constituent authorities as tiles in their rough geographic arrangement. */
export const WM_TILES: { code: string; name: string; col: number; row: number }[] = [
  { code: "E08000031", name: "Wolverhampton", col: 0, row: 0 },
  { code: "E08000030", name: "Walsall", col: 1, row: 0 },
  { code: "E08000027", name: "Dudley", col: 0, row: 1 },
  { code: "E08000028", name: "Sandwell", col: 1, row: 1 },
  { code: "E08000025", name: "Birmingham", col: 2, row: 1 },
  { code: "E08000029", name: "Solihull", col: 2, row: 2 },
  { code: "E08000026", name: "Coventry", col: 3, row: 2 },
];

/** 0 (worst) .. 1 (best) for shading, whichever way the metric points; null without a value. */
export function shade(value: number | null, min: number, max: number, higherIsBetter: boolean): number | null {
  if (value === null) return null;
  if (max === min) return 1;
  const t = (value - min) / (max - min);
  return higherIsBetter ? t : 1 - t;
}
