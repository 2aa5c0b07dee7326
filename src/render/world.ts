// Where the domain sits in three.js world space (y up): the domain's longer
// side spans 2 world units centred on the origin, x to the right (+X), the
// loss coordinate y into the screen (-Z), the loss display height on +Y.
import type { Domain } from '../model/surface-types';

export class WorldFrame {
  /** world units per domain length unit */
  readonly k: number;
  readonly cx: number;
  readonly cy: number;

  /** `height`: world height of the display scale's top (t = 1) */
  constructor(readonly domain: Domain, readonly height = 0.6) {
    const w = domain.x[1] - domain.x[0], h = domain.y[1] - domain.y[0];
    this.k = 2 / Math.max(w, h);
    this.cx = (domain.x[0] + domain.x[1]) / 2;
    this.cy = (domain.y[0] + domain.y[1]) / 2;
  }

  /** world (X, Z) of domain point (x, y) */
  toWorld(x: number, y: number): [number, number] {
    return [(x - this.cx) * this.k, -(y - this.cy) * this.k];
  }

  /** domain (x, y) of world (X, Z) */
  fromWorld(X: number, Z: number): [number, number] {
    return [X / this.k + this.cx, -Z / this.k + this.cy];
  }

  /** world width and depth of the domain */
  get size(): [number, number] {
    return [(this.domain.x[1] - this.domain.x[0]) * this.k, (this.domain.y[1] - this.domain.y[0]) * this.k];
  }
}
