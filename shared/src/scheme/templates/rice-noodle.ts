import type { SchemeInput } from '../schema';

// Placeholder being replaced with the real rules.
export const riceNoodle: SchemeInput = {
  id: 'rice-noodle',
  name: 'rice-noodle',
  components: [
    {
      id: 'practical',
      name: 'practical',
      aspects: [{ kind: 'measurement', id: 'score', name: 'score', max: '100', mapping: { type: 'direct' } }],
    },
  ],
};
