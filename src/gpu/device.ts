// Adapter and device acquisition, device-loss recovery, uncaptured errors.
// DOM-free: uses only the WebGPU API so it also runs under Node's `webgpu`.
import { GpuUnavailableError, GpuValidationError } from './errors';

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
}

/** Limits the lab asks for beyond the defaults, when the adapter offers them. */
export interface GpuRequirements {
  /** bytes; particle buffers of 2^20+ particles need more than the 128 MiB default */
  maxStorageBufferBindingSize?: number;
  maxBufferSize?: number;
}

export function describeAdapter(adapter: GPUAdapter): AdapterSummary {
  const info = adapter.info;
  return {
    vendor: info.vendor || 'unknown',
    architecture: info.architecture || 'unknown',
    device: info.device || '',
    description: info.description || '',
    isFallbackAdapter: (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false,
  };
}

export interface GpuContextOptions {
  /** the WebGPU entry point; navigator.gpu when omitted, null for "this browser has none" */
  gpu?: GPU | null;
  requirements?: GpuRequirements;
  /** Called once per loss that was not caused by our own destroy(); the UI shows it. */
  onLost?: (info: GPUDeviceLostInfo) => void;
  /** Uncaptured validation/OOM errors: surfaced, never swallowed. */
  onUncapturedError?: (error: GpuValidationError) => void;
}

/**
 * Owns the one GPUDevice shared by simulation and rendering. After a loss,
 * `recover()` makes a new device; owners of GPU objects rebuild through
 * `onDevice` listeners.
 */
export class GpuContext {
  adapter!: GPUAdapter;
  device!: GPUDevice;
  adapterSummary!: AdapterSummary;
  /** Increments with each new device; lets owners detect stale objects. */
  generation = 0;
  lost: GPUDeviceLostInfo | null = null;
  private listeners = new Set<(device: GPUDevice) => void>();
  private intentionalDestroy = false;

  private constructor(private readonly options: GpuContextOptions) {}

  static async create(options: GpuContextOptions = {}): Promise<GpuContext> {
    const ctx = new GpuContext(options);
    await ctx.acquire();
    return ctx;
  }

  /** Register a callback run with each new device (after recovery). Returns an unsubscribe. */
  onDevice(listener: (device: GPUDevice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async recover(): Promise<void> {
    await this.acquire();
    for (const l of this.listeners) l(this.device);
  }

  /** Destroys the device on purpose (no loss reported). */
  destroy(): void {
    this.intentionalDestroy = true;
    this.device?.destroy();
  }

  private async acquire(): Promise<void> {
    const gpu = 'gpu' in this.options ? this.options.gpu : (globalThis.navigator as Navigator | undefined)?.gpu;
    if (!gpu) {
      throw new GpuUnavailableError(
        'no-webgpu',
        'This browser has no WebGPU (navigator.gpu is missing). Use a recent Chrome, Edge or Chromium ' +
          '(Firefox Nightly and Safari Technology Preview also work), served over https or localhost.',
      );
    }
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) {
      throw new GpuUnavailableError(
        'no-adapter',
        'WebGPU is present but no GPU adapter was found. Enable hardware acceleration in the browser settings, ' +
          'update the graphics driver, or start Chromium with --enable-unsafe-webgpu --use-webgpu-adapter=swiftshader.',
      );
    }
    const requiredLimits: Record<string, number> = {};
    for (const [name, wanted] of Object.entries(this.options.requirements ?? {})) {
      const have = adapter.limits[name as keyof GPUSupportedLimits] as number;
      if (wanted === undefined) continue;
      if (have < wanted) {
        throw new GpuUnavailableError(
          'limit',
          `This GPU's ${name} is ${have} bytes but the scenario needs ${wanted}; lower the particle count or grid size.`,
        );
      }
      requiredLimits[name] = wanted;
    }
    // Ask for the adapter's full storage sizes so large particle clouds fit.
    requiredLimits.maxStorageBufferBindingSize = adapter.limits.maxStorageBufferBindingSize;
    requiredLimits.maxBufferSize = adapter.limits.maxBufferSize;
    const features: GPUFeatureName[] = [];
    if (adapter.features.has('timestamp-query')) features.push('timestamp-query');
    let device: GPUDevice;
    try {
      device = await adapter.requestDevice({ label: 'SGD Lab device', requiredLimits, requiredFeatures: features });
    } catch (e) {
      throw new GpuUnavailableError('device-failed', `The GPU adapter refused to create a device: ${(e as Error).message}`);
    }
    this.adapter = adapter;
    this.device = device;
    this.adapterSummary = describeAdapter(adapter);
    this.generation++;
    this.lost = null;
    this.intentionalDestroy = false;
    const generation = this.generation;
    device.addEventListener('uncapturederror', (ev) => {
      const err = new GpuValidationError(`uncaptured GPU error: ${(ev as GPUUncapturedErrorEvent).error.message}`);
      if (this.options.onUncapturedError) this.options.onUncapturedError(err);
      else console.error(err.message);
    });
    void device.lost.then((info) => {
      if (generation !== this.generation) return; // an older device
      this.lost = info;
      if (this.intentionalDestroy) return; // our own shutdown, not a loss
      this.options.onLost?.(info);
    });
  }
}

/** Runs `body` inside validation and out-of-memory error scopes; throws what they caught. */
export async function withErrorScope<T>(device: GPUDevice, where: string, body: () => T | Promise<T>): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let result: T;
  try {
    result = await body();
  } finally {
    const validation = await device.popErrorScope();
    const oom = await device.popErrorScope();
    const err = validation ?? oom;
    if (err) throw new GpuValidationError(`${where}: ${err.message}`);
  }
  return result;
}
