// The pipeline-overridable constants that specialise every network kernel
// (shaders/lib/network.wgsl) to one architecture, so loops have fixed bounds.
import type { NetworkLayout, Activation } from '../../model/network/spec';

export function networkConstants(layout: NetworkLayout, activation: Activation): Record<string, number> {
  const hidden = layout.sizes.slice(1, -1);
  return {
    HIDDEN_LAYERS: hidden.length,
    WIDTH0: hidden[0] ?? 0,
    WIDTH1: hidden[1] ?? 0,
    WIDTH2: hidden[2] ?? 0,
    ACTIVATION: activation === 'relu' ? 1 : 0,
    PARAM_COUNT: layout.params,
  };
}
