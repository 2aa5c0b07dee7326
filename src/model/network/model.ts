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
