// Real roots of the one-variable equations the analytic surfaces meet when
// they list their critical points: a depressed cubic in closed form, and any
// function's sign changes bracketed on a grid.

/** Real roots, ascending, of x^3 + p x + q = 0 (Cardano for one real root, the trigonometric form for three). */
export function depressedCubicRoots(p: number, q: number): number[] {
  const disc = -(4 * p ** 3 + 27 * q * q);
  if (disc <= 0) {
    const c = Math.cbrt(-q / 2 + Math.sqrt(q * q / 4 + p ** 3 / 27)) + Math.cbrt(-q / 2 - Math.sqrt(q * q / 4 + p ** 3 / 27));
    return [c];
  }
  const r = 2 * Math.sqrt(-p / 3);
  const phi = Math.acos((3 * q) / (p * r));
  return [0, 1, 2].map((k) => r * Math.cos(phi / 3 - (2 * Math.PI * k) / 3)).sort((a, b) => a - b);
}

/** Every root in [lo, hi] of g, bracketed on `intervals` cells (two roots in one cell are missed) and bisected to rounding. */
export function bracketedRoots(g: (t: number) => number, lo: number, hi: number, intervals: number): number[] {
  const roots: number[] = [];
  const bisect = (l: number, r: number, gl: number) => {
    for (let m = 0.5 * (l + r); m !== l && m !== r; m = 0.5 * (l + r)) {
      const gm = g(m);
      if (gm === 0) return m;
      if (gm * gl < 0) r = m;
      else { l = m; gl = gm; }
    }
    return 0.5 * (l + r);
  };
  let a = lo, ga = g(a);
  if (ga === 0) roots.push(a);
  for (let i = 1; i <= intervals; i++) {
    const b = lo + ((hi - lo) * i) / intervals, gb = g(b);
    if (gb === 0) roots.push(b);
    else if (ga * gb < 0) roots.push(bisect(a, b, ga));
    a = b;
    ga = gb;
  }
  return roots;
}
