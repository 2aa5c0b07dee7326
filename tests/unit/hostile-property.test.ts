// Property: whatever random scenario validation accepts is float32-safe (its
// start, one float32 step of every panel and its PDE coefficients are finite).
// The generator leans on the edges: tiny and huge magnitudes, subnormals,
// coefficients that round to 1, narrow and far-out domains, poles.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/model/scenario';
import { float32Hazard } from './hostile-support';
import { hostileScenario } from './hostile-arbitrary';

describe('validation accepts only float32-safe scenarios', () => {
  it('one float32 step and the PDE coefficients stay finite for every accepted scenario', { timeout: 300_000 }, () => {
    let accepted = 0;
    fc.assert(
      fc.property(hostileScenario, (doc) => {
        const r = parseScenario(doc);
        if (!r.ok) {
          for (const p of r.problems) expect(p).not.toMatch(/[\u0000-\u001f]/);
          return;
        }
        accepted++;
        expect(float32Hazard(r.scenario, r.surface, 4)).toBeNull();
      }),
      { numRuns: 400, seed: 13 },
    );
    // the generator must reach both sides for the property to mean anything
    expect(accepted).toBeGreaterThan(20);
  });
});
