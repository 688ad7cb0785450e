import type { SchemeInput } from '../schema';

// Placeholder being replaced with the real rules.
export const nationalWorkers: SchemeInput = {
  id: 'national-workers',
  name: 'national-workers',
  components: [
    {
      id: 'practical',
      name: 'practical',
      aspects: [{ kind: 'measurement', id: 'score', name: 'score', max: '100', mapping: { type: 'direct' } }],
    },
  ],
};
