// Everything a network scenario runs on the GPU (issue 14): per panel a cloud
// of MLPs (NetworkSystem), their evaluation on the whole dataset
// (NetworkEvaluation) and the cloud's spread (NetworkSpread), sharing one
// dataset buffer. The headless runner and the live page both drive this object,
// as Simulation for the 2-D surfaces.
import { panelTemperature } from '../model/panel-quantities';
import { panelNetworkModel, type NetworkModel } from '../model/network/model';
import { networkPanelLabel, type NetworkPanelSpec, type NetworkScenario } from '../model/network/scenario';
import { NetworkData } from '../sim/network/network-data';
import { NetworkSystem } from '../sim/network/network-system';
import { NetworkEvaluation } from '../sim/network/evaluation';
import { NetworkSpread } from '../sim/network/spread';
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
}

export class NetworkSimulation {
  readonly panels: NetworkPanelRuntime[] = [];
  readonly data: NetworkData;
  private readonly owned: { destroy(): void }[] = [];

  private constructor(readonly device: GPUDevice, readonly scenario: NetworkScenario, readonly network: NetworkModel) {
    this.data = new NetworkData(device, network.dataset, 'NetworkData');
    this.owned.push(this.data);
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
      this.panels.push({ index, spec, model, label: networkPanelLabel(spec, index), temperature: panelTemperature(spec), system, evaluation, spread });
    }
  }

  encodeInit(encoder: GPUCommandEncoder): void {
    for (const p of this.panels) p.system.encodeInit(encoder);
  }

  encodeSteps(encoder: GPUCommandEncoder, steps: number): void {
    for (const p of this.panels) p.system.encodeSteps(encoder, steps);
  }

  /** Evaluates every network on the whole dataset and measures the clouds' spread (the heavy part of a record). */
  encodeMetrics(encoder: GPUCommandEncoder): void {
    for (const p of this.panels) {
      p.evaluation.encode(encoder);
      p.spread.encode(encoder, p.system.status);
    }
  }

  /** Per panel: per-particle metrics, per-layer distances, status (the order parseRecords reads). */
  recordBuffers(): GPUBuffer[] {
    return this.panels.flatMap((p) => [p.evaluation.perParticle, p.spread.distances, p.system.status]);
  }

  parseRecords(bytes: ArrayBuffer[], step = this.stepsDone): NetworkPanelRecord[] {
    const count = this.scenario.particles.count;
    const hasTest = this.network.dataset.nTest > 0;
    return this.panels.map((p, i) => {
      const layers = p.model.layout.layers.length;
      return reduceNetworkRecord(
        step,
        new Float32Array(bytes[3 * i], 0, 4 * count),
        new Float32Array(bytes[3 * i + 1], 0, layers * count),
        new Uint32Array(bytes[3 * i + 2], 0, count),
        layers, hasTest,
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

  destroy(): void {
    for (const o of this.owned.reverse()) o.destroy();
    this.owned.length = 0;
  }
}
