// Everything a network scenario runs on the GPU (issue 14): per panel a cloud
// of MLPs (NetworkSystem), their evaluation on the whole dataset
// (NetworkEvaluation) and the cloud's spread (NetworkSpread), sharing one
// dataset buffer; on request the sharpness of every network (NetworkSharpness,
// issue 15). The headless runner and the live page both drive this object,
// as Simulation for the 2-D surfaces.
// Sharpness costs more than a step (2 P + M Hessian-vector products of about
// 2.7 full-batch gradients each, and a kernel to compile per architecture), so it
// is off unless the scenario asks for it (`sharpness`) or enableSharpness() is
// called (the page's chart), and then computed only at the records it is due:
// the scenario's last step, and every `sharpnessEvery`-th record (0: the last step only).
import { panelTemperature } from '../model/panel-quantities';
import { panelNetworkModel, type NetworkModel } from '../model/network/model';
import { networkPanelLabel, type NetworkPanelSpec, type NetworkScenario } from '../model/network/scenario';
import { NetworkData } from '../sim/network/network-data';
import { NetworkSystem } from '../sim/network/network-system';
import { NetworkEvaluation } from '../sim/network/evaluation';
import { NetworkSpread } from '../sim/network/spread';
import { NetworkSharpness } from '../sim/network/sharpness';
import type { SharpnessSettings } from '../sim/network/sharpness-reference';
import { networkStepConfig } from '../sim/network/step-config';
import { reduceNetworkRecord, type NetworkPanelRecord } from '../sim/network/network-record';
import { readBuffer, readBuffers } from '../gpu/buffers';

export interface NetworkPanelRuntime {
  index: number;
  spec: NetworkPanelSpec;
  /** this panel's network: the scenario's, or its own hidden widths (panels[i].hidden) on the same dataset */
  model: NetworkModel;
  label: string;
  /** T = lr_eff / (2B) (loss units) for minibatch SGD; null for Adam */
  temperature: number | null;
  system: NetworkSystem;
  evaluation: NetworkEvaluation;
  spread: NetworkSpread;
  /** null until enableSharpness() */
  sharpness: NetworkSharpness | null;
}

export class NetworkSimulation {
  readonly panels: NetworkPanelRuntime[] = [];
  readonly data: NetworkData;
  /** records between sharpness estimates once enabled (0: only at the scenario's last step) */
  sharpnessEvery = 0;
  /**
   * Steps between the scenario's sharpness estimates, record.every x sharpness.every: the
   * runner's schedule, kept by step rather than by record count so that the page (whose
   * records follow the wall clock) estimates at the same steps as the command line, and
   * panels with different lr meet at equal lr·steps. 0: by record count (`sharpnessEvery`).
   */
  readonly sharpnessStepInterval: number;
  /** false pauses the sharpness estimates without dropping their kernels */
  sharpnessActive = false;
  private readonly owned: { destroy(): void }[] = [];
  /** records encoded since the last init */
  private records = 0;
  /** the step of the estimate now in the sharpness buffers (-1: none) */
  private sharpnessStep = -1;
  /** the last encodeMetrics left an estimate of its own step in the sharpness buffers (recordBuffers reads them) */
  private sharpnessFresh = false;
  private destroyed = false;
  private sharpnessBuilt: Promise<void> | undefined;

  private constructor(readonly device: GPUDevice, readonly scenario: NetworkScenario, readonly network: NetworkModel) {
    this.data = new NetworkData(device, network.dataset, 'NetworkData');
    this.owned.push(this.data);
    const every = scenario.sharpness?.every ?? 0;
    this.sharpnessStepInterval = every > 0 ? every * scenario.record.every : 0;
  }

  static async create(device: GPUDevice, scenario: NetworkScenario, network: NetworkModel): Promise<NetworkSimulation> {
    const sim = new NetworkSimulation(device, scenario, network);
    try {
      await sim.build();
    } catch (e) {
      sim.destroy();
      throw e;
    }
    return sim;
  }

  /** Optimizer steps done by every panel (all panels advance together). */
  get stepsDone(): number {
    return this.panels[0]?.system.stepsEncoded ?? 0;
  }

  private async build(): Promise<void> {
    const { device, scenario, network, data } = this;
    const count = scenario.particles.count;
    for (const [index, spec] of scenario.panels.entries()) {
      const model = panelNetworkModel(network, spec.hidden);
      const system = await NetworkSystem.create({
        device, model, data, count, seed: scenario.seed, stream: index,
        step: networkStepConfig(spec, model.spec), init: scenario.particles.init, label: `NetworkSystem[${index}]`,
      });
      this.owned.push(system);
      const evaluation = await NetworkEvaluation.create({ device, model, data, params: system.params, count, label: `NetworkEvaluation[${index}]` });
      this.owned.push(evaluation);
      const spread = await NetworkSpread.create({ device, model, params: system.params, count, label: `NetworkSpread[${index}]` });
      this.owned.push(spread);
      this.panels.push({ index, spec, model, label: networkPanelLabel(spec, index), temperature: panelTemperature(spec), system, evaluation, spread, sharpness: null });
    }
    if (scenario.sharpness) {
      this.sharpnessEvery = scenario.sharpness.every;
      await this.enableSharpness(scenario.sharpness);
    }
  }

  /** Builds every panel's NetworkSharpness (once; compiles its kernel; the first call's settings hold) and turns the estimates on. */
  async enableSharpness(settings?: SharpnessSettings): Promise<void> {
    await (this.sharpnessBuilt ??= this.buildSharpness(settings));
    if (!this.destroyed) this.sharpnessActive = true;
  }

  private async buildSharpness(settings?: SharpnessSettings): Promise<void> {
    const { device, scenario, data } = this;
    for (const p of this.panels) {
      if (p.sharpness) continue;
      const sharpness = await NetworkSharpness.create({
        device, model: p.model, data, params: p.system.params, status: p.system.status, count: p.system.count,
        seed: scenario.seed, panel: p.index, weightDecay: p.model.spec.weightDecay, settings, label: `NetworkSharpness[${p.index}]`,
      });
      if (this.destroyed) {
        sharpness.destroy();
        return;
      }
      p.sharpness = sharpness;
      this.owned.push(sharpness);
    }
  }

  encodeInit(encoder: GPUCommandEncoder): void {
    for (const p of this.panels) p.system.encodeInit(encoder);
    this.records = 0;
    this.sharpnessStep = -1;
  }

  encodeSteps(encoder: GPUCommandEncoder, steps: number): void {
    for (const p of this.panels) p.system.encodeSteps(encoder, steps);
  }

  /**
   * Evaluates every network on the whole dataset and measures the clouds' spread (the heavy
   * part of a record); and, when enabled and due, every network's sharpness.
   */
  encodeMetrics(encoder: GPUCommandEncoder): void {
    for (const p of this.panels) {
      p.evaluation.encode(encoder);
      p.spread.encode(encoder, p.system.status);
    }
    const step = this.stepsDone;
    const active = this.sharpnessActive && this.panels.every((p) => p.sharpness);
    const interval = this.sharpnessStepInterval;
    const due = step === this.scenario.steps || (interval > 0 ? step % interval === 0 : this.sharpnessEvery > 0 && this.records % this.sharpnessEvery === 0);
    this.records++;
    if (active && due && step !== this.sharpnessStep) {
      for (const p of this.panels) p.sharpness!.encode(encoder);
      this.sharpnessStep = step;
    }
    this.sharpnessFresh = active && this.sharpnessStep === step;
  }

  /**
   * Per panel: per-particle metrics, per-layer distances, status; then, when the last
   * encodeMetrics left a sharpness estimate of its step, each panel's (the order parseRecords reads).
   */
  recordBuffers(): GPUBuffer[] {
    const own = this.panels.flatMap((p) => [p.evaluation.perParticle, p.spread.distances, p.system.status]);
    return this.sharpnessFresh ? [...own, ...this.panels.map((p) => p.sharpness!.perParticle)] : own;
  }

  parseRecords(bytes: ArrayBuffer[], step = this.stepsDone): NetworkPanelRecord[] {
    const count = this.scenario.particles.count;
    const hasTest = this.network.dataset.nTest > 0;
    const n = this.panels.length;
    return this.panels.map((p, i) => {
      const layers = p.model.layout.layers.length;
      return reduceNetworkRecord(
        step,
        new Float32Array(bytes[3 * i], 0, 4 * count),
        new Float32Array(bytes[3 * i + 1], 0, layers * count),
        new Uint32Array(bytes[3 * i + 2], 0, count),
        layers, hasTest,
        bytes.length >= 4 * n ? new Float32Array(bytes[3 * n + i], 0, 4 * count) : undefined,
      );
    });
  }

  async readRecords(): Promise<NetworkPanelRecord[]> {
    return this.parseRecords(await readBuffers(this.device, this.recordBuffers()));
  }

  /** A panel's parameters, count x D float32, particle-major (export readback, never per frame). */
  async readParams(p: NetworkPanelRuntime): Promise<Float32Array> {
    return new Float32Array(await readBuffer(this.device, p.system.params, 4 * p.system.count * p.model.layout.params));
  }

  async readStatus(p: NetworkPanelRuntime): Promise<Uint32Array> {
    return new Uint32Array(await readBuffer(this.device, p.system.status, 4 * p.system.count));
  }

  /** count x 4 float32: train loss, train accuracy, test loss, test accuracy (after the last encodeMetrics). */
  async readParticleMetrics(p: NetworkPanelRuntime): Promise<Float32Array> {
    return new Float32Array(await readBuffer(this.device, p.evaluation.perParticle, 16 * p.system.count));
  }

  /** count x 4 float32: lambda_max, trace, trace standard error, residual of the latest sharpness estimate; null when none was made. */
  async readSharpness(p: NetworkPanelRuntime): Promise<Float32Array | null> {
    if (!p.sharpness || this.sharpnessStep < 0) return null;
    return new Float32Array(await readBuffer(this.device, p.sharpness.perParticle, 16 * p.system.count));
  }

  destroy(): void {
    this.destroyed = true;
    for (const o of this.owned.reverse()) o.destroy();
    this.owned.length = 0;
  }
}
