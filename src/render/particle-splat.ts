// One-pixel particles in a 3-D view without the vertex pipeline: a compute
// pass projects every particle (the same surface lift and camera as
// ParticleLayer's point primitives), keeps it where a point primitive's
// fragment would pass the cached background's depth test, and counts it into
// a per-pixel buffer; one full-screen pass then blends the counts into the
// canvas. n dots of one colour c and opacity a blended one after another are
// exactly one blend: normal blending leaves c (1 - (1 - a)^n) + dst (1 - a)^n,
// additive dst + n a c (each clamped to 1 as the 8-bit target does). So the
// picture is the point primitives' up to 8-bit rounding of the blend chain
// and float rounding at pixel edges (tests/browser/ui-cached-background.test.ts
// on the page; tests/browser/render-layers.test.ts against the CPU reference,
// particle-splat-reference.ts).
// Why: SwiftShader (the CPU Vulkan driver of headless Chromium) spends ~0.7 us
// per point primitive in its vertex and raster pipeline; this compute pass
// costs a few ns per particle. Used for 1-px dots over the cached background.
import { MESH_CELLS } from './surface-mesh';
import type { WorldFrame } from './world';
import type { Rect } from './layout';

const WORKGROUP = 64;

const SPLAT_WGSL = /* wgsl */ `
struct Splat {
  view_proj: mat4x4f,   // world -> clip (the 3-D view's camera, WebGPU depth range [0, 1])
  rect: vec4f,          // the view in device px: x, y (from the top-left), w, h
  domain_lo: vec2f,     // domain corner (x0, y0), domain units
  domain_span: vec2f,   // (x1 - x0, y1 - y0)
  frame: vec4f,         // world frame: cx, cy, k (world units per domain unit), height (world units per display height 1)
  lift: f32,            // world units above the surface (as surface-lift.ts)
  canvas_w: u32,        // device px
  canvas_h: u32,
  count: u32,           // particles
}

const CELLS: u32 = ${MESH_CELLS}u;
// window positions are snapped to 1/16 px before rasterization (Vulkan's
// subPixelPrecisionBits 4, SwiftShader's: with this snap and the pixel rule
// below the splat and the point primitives agree on all but 1 of ~11,000 dot
// pixels; without it ~9 % of the dots land one pixel off; GPUs with 8 bits
// would see a few dots move by one pixel)
const SUBPIXEL: f32 = 16.0;

@group(0) @binding(0) var<uniform> u: Splat;
@group(0) @binding(1) var<storage, read> pos: array<vec2f>;
@group(0) @binding(2) var<storage, read> heights: array<f32>;
@group(0) @binding(3) var depth: texture_depth_2d;
@group(0) @binding(4) var<storage, read_write> counts: array<atomic<u32>>;

@compute @workgroup_size(${WORKGROUP})
fn splat(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * ${WORKGROUP}u;
  if (i >= u.count) { return; }
  let p = pos[i];
  let g = (p - u.domain_lo) / u.domain_span * f32(CELLS);
  // outside the domain (or not finite): the point primitive goes beyond the far plane
  if (!(g.x >= 0.0 && g.y >= 0.0 && g.x <= f32(CELLS) && g.y <= f32(CELLS))) { return; }
  let gc = clamp(g, vec2f(0.0), vec2f(f32(CELLS) - 1e-4));
  let cell = floor(gc);
  let f = gc - cell;
  let i00 = u32(cell.y) * (CELLS + 1u) + u32(cell.x);
  let t = mix(mix(heights[i00], heights[i00 + 1u], f.x), mix(heights[i00 + CELLS + 1u], heights[i00 + CELLS + 2u], f.x), f.y);
  let world = vec3f((p.x - u.frame.x) * u.frame.z, t * u.frame.w + u.lift, -(p.y - u.frame.y) * u.frame.z);
  let clip = u.view_proj * vec4f(world, 1.0);
  if (!(clip.w > 0.0)) { return; }
  let ndc = clip.xyz / clip.w;
  if (!(ndc.z >= 0.0 && ndc.z <= 1.0)) { return; }
  // the viewport transform, snapped to the rasterizer's sub-pixel grid (SUBPIXEL
  // steps per px); a 1-px point is a 1-px square about that position, and it
  // covers the pixel whose centre it contains, edges by the top-left rule:
  // pixel ceil(w) - 1 on each axis
  let wx = round((u.rect.x + (ndc.x * 0.5 + 0.5) * u.rect.z) * SUBPIXEL) / SUBPIXEL;
  let wy = round((u.rect.y + (0.5 - ndc.y * 0.5) * u.rect.w) * SUBPIXEL) / SUBPIXEL;
  let pix = vec2i(ceil(vec2f(wx, wy))) - vec2i(1);
  let lo = vec2i(u.rect.xy);
  let hi = lo + vec2i(u.rect.zw);
  if (any(pix < lo) || any(pix >= hi) || any(pix < vec2i(0)) || pix.x >= i32(u.canvas_w) || pix.y >= i32(u.canvas_h)) { return; }
  let px = u32(pix.x);
  let py = u32(pix.y);
  // the depth test of the point primitives: less-or-equal against the surface
  if (ndc.z > textureLoad(depth, vec2u(px, py), 0)) { return; }
  atomicAdd(&counts[py * u.canvas_w + px], 1u);
}
`;

const COMPOSITE_WGSL = /* wgsl */ `
struct Blend {
  color: vec4f,         // rgb of the dots, a = per-dot opacity
  canvas_w: u32,
  additive: u32,
}
@group(0) @binding(0) var<uniform> b: Blend;
@group(0) @binding(1) var<storage, read> counts: array<u32>;

@vertex
fn full_screen(@builtin(vertex_index) v: u32) -> @builtin(position) vec4f {
  let xy = vec2f(f32((v << 1u) & 2u), f32(v & 2u)) * 2.0 - 1.0;
  return vec4f(xy, 0.0, 1.0);
}

@fragment
fn blend(@builtin(position) frag: vec4f) -> @location(0) vec4f {
  let n = counts[u32(frag.y) * b.canvas_w + u32(frag.x)];
  if (n == 0u) { discard; }
  if (b.additive != 0u) { return vec4f(b.color.rgb * (f32(n) * b.color.a), 1.0); }
  return vec4f(b.color.rgb, 1.0 - pow(1.0 - b.color.a, f32(n)));
}
`;

/** What one panel's splat reads: its particles, the surface under them and where its view is. */
export interface SplatView {
  /** vec2f per particle (domain units) */
  positions: GPUBuffer;
  count: number;
  /** display heights in [0, 1] at the mesh vertices, (MESH_CELLS + 1)^2 floats */
  heights: GPUBuffer;
  /** the surface's domain (its mesh spans it) */
  domain: { x: [number, number]; y: [number, number] };
  /** world frame (WorldFrame): cx, cy, k world units per domain unit, height world units per display height 1 */
  frame: Pick<WorldFrame, 'cx' | 'cy' | 'k' | 'height'>;
  lift: number;
  /** column-major world -> clip matrix of the view's camera (16 numbers) */
  viewProj: ArrayLike<number>;
  /** the view, device px from the canvas's top-left corner */
  rect: Rect;
}

export interface SplatStyle {
  /** linear rgb in [0, 1] */
  rgb: [number, number, number];
  opacity: number;
  additive: boolean;
}

export class ParticleSplat {
  private splatPipeline: GPUComputePipeline;
  private normalPipeline: GPURenderPipeline;
  private additivePipeline: GPURenderPipeline;
  private readonly splatUniform: GPUBuffer;
  private readonly blendUniform: GPUBuffer;
  private counts: GPUBuffer | null = null;
  private pixels = 0;
  /** bind groups kept between frames: per panel (its positions buffer) for the splat, per pipeline for the blend */
  private readonly splatGroups = new WeakMap<GPUBuffer, { heights: GPUBuffer; depth: GPUTexture; counts: GPUBuffer; group: GPUBindGroup }>();
  private readonly blendGroups = new Map<GPURenderPipeline, GPUBindGroup>();

  constructor(private readonly device: GPUDevice, format: GPUTextureFormat) {
    const splatModule = device.createShaderModule({ label: 'ParticleSplat.splat', code: SPLAT_WGSL });
    this.splatPipeline = device.createComputePipeline({ label: 'ParticleSplat.splat', layout: 'auto', compute: { module: splatModule, entryPoint: 'splat' } });
    const module = device.createShaderModule({ label: 'ParticleSplat.composite', code: COMPOSITE_WGSL });
    const pipeline = (blend: GPUBlendState) => device.createRenderPipeline({
      label: 'ParticleSplat.composite', layout: 'auto',
      vertex: { module, entryPoint: 'full_screen' },
      fragment: { module, entryPoint: 'blend', targets: [{ format, blend }] },
      primitive: { topology: 'triangle-list' },
    });
    // as three.js's NormalBlending and AdditiveBlending (non-premultiplied)
    this.normalPipeline = pipeline({
      color: { srcFactor: 'src-alpha', dstFactor: 'one-minus-src-alpha', operation: 'add' },
      alpha: { srcFactor: 'one', dstFactor: 'one-minus-src-alpha', operation: 'add' },
    });
    this.additivePipeline = pipeline({
      color: { srcFactor: 'src-alpha', dstFactor: 'one', operation: 'add' },
      alpha: { srcFactor: 'zero', dstFactor: 'one', operation: 'add' },
    });
    this.splatUniform = device.createBuffer({ label: 'ParticleSplat.splatUniform', size: 160, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.blendUniform = device.createBuffer({ label: 'ParticleSplat.blendUniform', size: 32, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  }

  /**
   * Draws `view`'s particles into `target` (the canvas texture, `width` x
   * `height` device px) as 1-px dots behind `depth` (the cached background's
   * depth, same size): clear the counts, count, blend. Submits at once, so
   * it lands between the render calls before and after it.
   */
  draw(view: SplatView, style: SplatStyle, depth: GPUTexture, target: GPUTexture): void {
    const { device } = this;
    const width = target.width, height = target.height;
    const counts = this.countsFor(width * height);
    const s = new ArrayBuffer(160);
    const f = new Float32Array(s), w = new Uint32Array(s);
    f.set(Array.from(view.viewProj), 0);
    f.set([view.rect.x, view.rect.y, view.rect.w, view.rect.h], 16);
    const { domain } = view;
    f.set([domain.x[0], domain.y[0], domain.x[1] - domain.x[0], domain.y[1] - domain.y[0]], 20);
    f.set([view.frame.cx, view.frame.cy, view.frame.k, view.frame.height], 24);
    f[28] = view.lift;
    w[29] = width; w[30] = height; w[31] = view.count;
    device.queue.writeBuffer(this.splatUniform, 0, s);
    const b = new ArrayBuffer(32);
    new Float32Array(b).set([...style.rgb, style.opacity], 0);
    new Uint32Array(b).set([width, style.additive ? 1 : 0], 4);
    device.queue.writeBuffer(this.blendUniform, 0, b);

    const enc = device.createCommandEncoder({ label: 'ParticleSplat' });
    // only the view's rows are written (the splat keeps to the rect) and read (the blend's scissor)
    const row0 = Math.max(0, Math.min(height, Math.floor(view.rect.y)));
    const row1 = Math.max(row0, Math.min(height, Math.ceil(view.rect.y + view.rect.h)));
    if (row1 > row0) enc.clearBuffer(counts, 4 * width * row0, 4 * width * (row1 - row0));
    const pass = enc.beginComputePass({ label: 'ParticleSplat.splat' });
    pass.setPipeline(this.splatPipeline);
    pass.setBindGroup(0, this.splatGroup(view, depth, counts));
    const groups = Math.ceil(view.count / WORKGROUP);
    const max = device.limits.maxComputeWorkgroupsPerDimension;
    pass.dispatchWorkgroups(Math.min(groups, max), Math.ceil(groups / max));
    pass.end();
    const pipeline = style.additive ? this.additivePipeline : this.normalPipeline;
    const draw = enc.beginRenderPass({ label: 'ParticleSplat.composite', colorAttachments: [{ view: target.createView(), loadOp: 'load', storeOp: 'store' }] });
    draw.setPipeline(pipeline);
    draw.setBindGroup(0, this.blendGroup(pipeline, counts));
    // only the view's pixels (its counts are the only non-zero ones)
    const x0 = Math.max(0, Math.floor(view.rect.x)), y0 = Math.max(0, Math.floor(view.rect.y));
    const x1 = Math.min(width, Math.ceil(view.rect.x + view.rect.w)), y1 = Math.min(height, Math.ceil(view.rect.y + view.rect.h));
    if (x1 > x0 && y1 > y0) {
      draw.setScissorRect(x0, y0, x1 - x0, y1 - y0);
      draw.draw(3);
    }
    draw.end();
    device.queue.submit([enc.finish()]);
  }

  /** the per-pixel dot counts of the last draw (u32, row-major over the target; tests read them back) */
  get countsBuffer(): GPUBuffer | null {
    return this.counts;
  }

  /** The splat's bind group for these buffers (made once per panel, again when one of them changes). */
  private splatGroup(view: SplatView, depth: GPUTexture, counts: GPUBuffer): GPUBindGroup {
    const known = this.splatGroups.get(view.positions);
    if (known && known.heights === view.heights && known.depth === depth && known.counts === counts) return known.group;
    const group = this.device.createBindGroup({
      label: 'ParticleSplat.splatGroup',
      layout: this.splatPipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.splatUniform } },
        { binding: 1, resource: { buffer: view.positions } },
        { binding: 2, resource: { buffer: view.heights } },
        { binding: 3, resource: depth.createView({ aspect: 'depth-only' }) },
        { binding: 4, resource: { buffer: counts } },
      ],
    });
    this.splatGroups.set(view.positions, { heights: view.heights, depth, counts, group });
    return group;
  }

  /** The blend pass's bind group for `pipeline` (normal or additive) over the current counts. */
  private blendGroup(pipeline: GPURenderPipeline, counts: GPUBuffer): GPUBindGroup {
    let group = this.blendGroups.get(pipeline);
    if (!group) {
      group = this.device.createBindGroup({
        label: 'ParticleSplat.blendGroup',
        layout: pipeline.getBindGroupLayout(0),
        entries: [{ binding: 0, resource: { buffer: this.blendUniform } }, { binding: 1, resource: { buffer: counts } }],
      });
      this.blendGroups.set(pipeline, group);
    }
    return group;
  }

  private countsFor(pixels: number): GPUBuffer {
    if (this.counts && this.pixels >= pixels) return this.counts;
    this.counts?.destroy();
    this.blendGroups.clear();
    this.pixels = pixels;
    this.counts = this.device.createBuffer({ label: 'ParticleSplat.counts', size: 4 * pixels, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
    return this.counts;
  }

  destroy(): void {
    this.counts?.destroy();
    this.splatUniform.destroy();
    this.blendUniform.destroy();
  }
}
