// Drawing several views into one canvas with three.js: the renderer's
// settings, the 3-D views' camera and lights, clearing the whole canvas once,
// then drawing each view inside its own rectangle (viewport and scissor).
// Shared by the GPU page's renderer and the no-WebGPU 3-D views.
import { AmbientLight, Color, DirectionalLight, LinearSRGBColorSpace, NoToneMapping, type PerspectiveCamera, type Scene, type WebGPURenderer } from 'three/webgpu';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { BACKGROUND_RGB } from './background';
import type { Rect } from './layout';

/** Clears the whole `width` x `height` (CSS px) canvas, then leaves the scissor test on for the views. */
export function clearForViews(r: WebGPURenderer, width: number, height: number): void {
  r.setScissorTest(false);
  r.setViewport(0, 0, width, height);
  r.clear();
  r.setScissorTest(true);
}

/** Confines the next render call to `rect` (CSS px from the canvas's top-left corner). */
export function drawInto(r: WebGPURenderer, rect: Rect): void {
  r.setViewport(rect.x, rect.y, rect.w, rect.h);
  r.setScissor(rect.x, rect.y, rect.w, rect.h);
}

/** The lab's renderer settings: colours written as given (the colour maps are already sRGB), no tone mapping, clears only when asked. */
export function configureLabRenderer(r: WebGPURenderer): void {
  r.outputColorSpace = LinearSRGBColorSpace;
  r.toneMapping = NoToneMapping;
  r.autoClear = false;
  r.setClearColor(new Color(...BACKGROUND_RGB), 1);
}

/** The 3-D views' camera, orbit and lights: the same on the GPU page and without WebGPU. */
export function setUpSurfaceView(scene: Scene, camera: PerspectiveCamera, canvas: HTMLCanvasElement): OrbitControls {
  camera.position.set(0, 2.35, 2.35);
  const controls = new OrbitControls(camera, canvas);
  controls.target.set(0, 0.12, 0.1);
  controls.enableDamping = false;
  controls.minDistance = 0.6;
  controls.maxDistance = 8;
  controls.update();
  scene.add(new AmbientLight(0xffffff, 1.35));
  const sun = new DirectionalLight(0xffffff, 1.6);
  sun.position.set(-1.5, 3, 1.2);
  scene.add(sun);
  return controls;
}
