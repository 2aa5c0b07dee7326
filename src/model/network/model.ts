// A network scenario's model: the architecture (layout, activation) and its
// dataset, everything about the network that does not depend on the panel.
import { makeDataset, type Dataset } from './datasets';
import { networkLayout, type Activation, type NetworkLayout, type NetworkSpec } from './spec';

export interface NetworkModel {
  spec: NetworkSpec;
  layout: NetworkLayout;
  activation: Activation;
  dataset: Dataset;
}

/** The model of a validated network spec; the dataset is drawn from `seed`. */
export function createNetworkModel(spec: NetworkSpec, seed: number): NetworkModel {
  return { spec, layout: networkLayout(spec.hidden), activation: spec.activation, dataset: makeDataset(spec.dataset, seed) };
}

/**
 * A panel's own model when it overrides the hidden widths (`panels[i].hidden`):
 * the same dataset and activation, its own layout; the scenario's model otherwise.
 */
export function panelNetworkModel(base: NetworkModel, hidden: readonly number[] | undefined): NetworkModel {
  if (!hidden || hidden.join() === base.spec.hidden.join()) return base;
  const spec = { ...base.spec, hidden: [...hidden] };
  return { ...base, spec, layout: networkLayout(spec.hidden) };
}

/** "2 → 8 → 8 → 1": the layer widths from the inputs to the logit. */
export function architectureText(model: NetworkModel): string {
  return model.layout.sizes.join(' → ');
}
