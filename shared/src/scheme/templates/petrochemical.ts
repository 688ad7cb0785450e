import type { SchemeInput } from '../schema';

// Placeholder being replaced with the real rules.
export const petrochemical: SchemeInput = {
  id: 'petrochemical',
  name: 'petrochemical',
  components: [
    {
      id: 'practical',
      name: 'practical',
      aspects: [{ kind: 'measurement', id: 'score', name: 'score', max: '100', mapping: { type: 'direct' } }],
    },
  ],
};
