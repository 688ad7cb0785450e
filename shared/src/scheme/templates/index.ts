import { parseScheme, type Scheme, type SchemeInput } from '../schema';
import { diving } from './diving';
import { drone } from './drone';
import { figAerobic } from './fig-aerobic';
import { nationalWorkers } from './national-workers';
import { petrochemical } from './petrochemical';
import { riceNoodle } from './rice-noodle';
import { tea } from './tea';
import { tourGuide } from './tour-guide';
import { wkfKata } from './wkf-kata';
import { worldskills } from './worldskills';

/** The shipped templates, by name. Each is validated by the same schema as an organizer's own scheme. */
export const templateInputs: Readonly<Record<string, SchemeInput>> = {
  'national-workers': nationalWorkers,
  drone,
  tea,
  petrochemical,
  'rice-noodle': riceNoodle,
  'tour-guide': tourGuide,
  diving,
  'fig-aerobic': figAerobic,
  'wkf-kata': wkfKata,
  worldskills,
};

export const templateNames = Object.keys(templateInputs);

export function getTemplate(name: string): Scheme | undefined {
  // Own names only: `__proto__` or `constructor` would otherwise find Object's.
  if (!templateNames.includes(name)) return undefined;
  const input = templateInputs[name];
  if (!input) return undefined;
  const parsed = parseScheme(input);
  if (!parsed.ok) {
    throw new Error(
      `template "${name}" is invalid: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    );
  }
  return parsed.scheme;
}
