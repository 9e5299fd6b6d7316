// y-axis ranges. Pure (no DOM), unit-tested.

/**
 * From 0 to a little above the visible data, never empty. A target (threshold) near the data is
 * brought into range so its line shows; one far above would squash the data, so it stays off-scale
 * (the chart then marks it at the top edge instead).
 */
export function zeroBased(max: number | null, opts: { target?: number | null; floor?: number; nearFactor?: number } = {}): [number, number] {
  let hi = max !== null && Number.isFinite(max) && max > 0 ? max * 1.12 : 0;
  const t = opts.target;
  const near = opts.nearFactor ?? 2.5;
  if (t !== null && t !== undefined && Number.isFinite(t) && t > 0 && (hi === 0 || t <= max! * near)) hi = Math.max(hi, t * 1.15);
  return [0, Math.max(hi, opts.floor ?? 1)];
}

/** A ratio axis: 0–100 %, or less when everything sits low (so 0.3 % error rates are readable). */
export function ratioRange(max: number | null, target: number | null): [number, number] {
  const m = max !== null && Number.isFinite(max) ? max : 0;
  const t = target !== null && Number.isFinite(target) ? target : 0;
  const hi = Math.max(m * 1.15, t * 1.5, 0.01);
  return [0, Math.min(1, hi)];
}
