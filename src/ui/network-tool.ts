// What the network lab's worker tools (mode-connectivity path, stationary
// cloud, noise against curvature) share as lit ReactiveControllers: the
// worker of the running job (one per job, terminated to cancel) and a reset
// when the simulation is rebuilt (a new scenario or device: the networks the
// result was computed from are gone).
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { NetworkRunController } from './network-run';

export abstract class NetworkTool implements ReactiveController {
  /** the running job's worker */
  protected worker: Worker | null = null;
  private builds = -1;

  constructor(protected readonly host: ReactiveControllerHost, protected readonly run: NetworkRunController) {
    host.addController(this);
  }

  hostUpdate(): void {
    if (this.builds !== this.run.builds) {
      this.builds = this.run.builds;
      this.onNewSimulation();
    }
  }

  hostDisconnected(): void {
    this.stopWorker();
  }

  /** Terminates the running job's worker, if any; true when there was one. */
  protected stopWorker(): boolean {
    const had = this.worker !== null;
    this.worker?.terminate();
    this.worker = null;
    return had;
  }

  /** The simulation was rebuilt: forget results computed on the old one. */
  protected abstract onNewSimulation(): void;
}
