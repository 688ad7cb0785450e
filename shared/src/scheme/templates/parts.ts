import type { SchemeInput } from '../schema';

type ComponentInput = SchemeInput['components'][number];

/**
 * The theory component most workers' competitions share: a machine-scored paper of 100 points, normalised
 * to 100 and weighted (30% by the national rule; 20% or 10% in some tea trades).
 */
export function machineScoredTheory(options: {
  weight: string;
  name?: string;
  paperName?: string;
  paperNameEn?: string;
}): ComponentInput {
  return {
    id: 'theory',
    name: options.name ?? '理论知识',
    nameEn: 'Theory',
    weight: options.weight,
    max: '100',
    normaliseTo: '100',
    aspects: [
      {
        kind: 'measurement',
        id: 'theoryPaper',
        name: options.paperName ?? '理论知识考试（机考）',
        nameEn: options.paperNameEn ?? 'Theory paper (machine-scored)',
        unit: '分',
        max: '100',
        range: { min: '0', max: '100' },
        mapping: { type: 'direct' },
      },
    ],
  };
}
