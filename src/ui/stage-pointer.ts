// Pointer input on the lab's stage (the element the canvas fills): a press
// inside a panel's 3-D view may orbit the shared camera, a press elsewhere
// (the top-view maps) may not; a click — a press released within
// CLICK_SLOP_PX and CLICK_MAX_MS — picks the domain point under it.
import type { LabRenderer } from '../render/lab-renderer';
import type { PanelLayout } from '../render/layout';

/** Picks the domain point under a stage position (CSS px), or null: the no-WebGPU maps (render/cpu-maps.ts). */
export interface MapPicker {
  pick(px: number, py: number, layouts: PanelLayout[]): [number, number] | null;
}

/** A press that moves farther than this (CSS pixels) is a drag, not a click. */
const CLICK_SLOP_PX = 4;
/** A press held longer than this (ms) is not a click. */
const CLICK_MAX_MS = 400;

/** What the pointer reads from the engine at each press: the renderer (null while none; else the CPU maps, if any) and the panels' layout. */
export interface StageView {
  readonly renderer: LabRenderer | null;
  readonly cpuMaps: MapPicker | null;
  readonly layouts: PanelLayout[];
}

export class StagePointer {
  /** where (CSS pixels in the stage) and when (ms) the current press began */
  private down: { x: number; y: number; t: number } | null = null;

  /** Listens on `stage`; `onPick` gets a clicked point in domain coordinates. */
  constructor(private readonly stage: HTMLElement, private readonly view: StageView, private readonly onPick: (x: number, y: number) => void) {
    stage.addEventListener('pointerdown', this.onPointerDown, { capture: true });
    stage.addEventListener('pointerup', this.onPointerUp);
  }

  detach(): void {
    this.stage.removeEventListener('pointerdown', this.onPointerDown, { capture: true });
    this.stage.removeEventListener('pointerup', this.onPointerUp);
  }

  /** The event's position in the stage (CSS pixels from its top-left corner). */
  private at(e: PointerEvent): { x: number; y: number } {
    const r = this.stage.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  private readonly onPointerDown = (e: PointerEvent): void => {
    const renderer = this.view.renderer;
    if (!renderer && !this.view.cpuMaps) return;
    const { x, y } = this.at(e);
    // orbiting only from inside a 3-D view; the maps take clicks
    if (renderer) renderer.controls.enabled = renderer.in3d(x, y, this.view.layouts);
    this.down = { x, y, t: performance.now() };
  };

  private readonly onPointerUp = (e: PointerEvent): void => {
    const d = this.down;
    this.down = null;
    const picker = this.view.renderer ?? this.view.cpuMaps;
    if (!d || !picker) return;
    // only a click on the canvas itself picks: not one on a button, message or label drawn over it
    // (the Recover button of a lost device sits over the 3-D view)
    if (!(e.target instanceof HTMLCanvasElement)) return;
    const { x, y } = this.at(e);
    if (Math.hypot(x - d.x, y - d.y) > CLICK_SLOP_PX || performance.now() - d.t > CLICK_MAX_MS) return;
    const at = picker.pick(x, y, this.view.layouts);
    if (at) this.onPick(at[0], at[1]);
  };
}
