// ring-valley: f = height (r^2 / R^2 - 1)^2 with r^2 = x^2 + y^2. The minima
// (value 0) are the whole circle r = R: a connected manifold of equally good
// solutions, as in over-parametrised models. One isolated critical point, the
// maximum at the origin (value height).
import { defineSurface } from '../define-surface';

export const ringValley = defineSurface({
  name: 'ring-valley',
  title: 'Ring valley',
  blurb: 'A circle of equal minima: a connected manifold of solutions along which particles diffuse freely.',
  params: [
    { name: 'R', default: 1, min: 0.2, max: 1.8, description: 'radius of the circle of minima (length)' },
    { name: 'height', default: 1, min: 0.01, max: 100, description: 'loss at the central maximum (loss units)' },
  ],
  defaultDomain: { x: [-2, 2], y: [-2, 2] },
  formula: 'height (r²/R² − 1)²,  r² = x² + y²',
  bind({ values: { R, height } }) {
    const R2 = R * R;
    // rho = r^2 / R^2 - 1: zero on the circle of minima
    const rho = (x: number, y: number) => (x * x + y * y) / R2 - 1;
    return {
      value: (x, y) => height * rho(x, y) ** 2,
      gradient(x, y) {
        const k = (4 * height * rho(x, y)) / R2;
        return [k * x, k * y];
      },
      hessian(x, y) {
        // (4 height / R^2) (rho I + 2 p p^T / R^2)
        const k = (4 * height) / R2, r = rho(x, y);
        return [k * (r + (2 * x * x) / R2), (k * 2 * x * y) / R2, k * (r + (2 * y * y) / R2)];
      },
      criticalPoints: [{
        kind: 'maximum',
        at: [0, 0],
        value: height,
        source: 'analytic; the minima (value 0) are the whole circle x² + y² = R², a connected manifold, so no isolated minimum is listed',
      }],
    };
  },
});
