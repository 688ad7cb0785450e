/**
 * pnpm docs:schemes — writes the templates section of docs/SCHEMES.md from the shipped templates, so the
 * documentation can never drift from the schemes the engine uses (a test checks it is up to date).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Aspect,
  type Component,
  getTemplate,
  type Scheme,
  templateInputs,
  templateNames,
} from '@jiangxin/shared';

export const SCHEMES_DOC = join(import.meta.dirname, '../../docs/SCHEMES.md');
const START = '<!-- templates:start -->';
const END = '<!-- templates:end -->';

const bands = (
  list: readonly { from?: string; above?: string; to?: string; below?: string; points: string }[],
) =>
  list
    .map((b) => {
      const low = b.from !== undefined ? `≥ ${b.from}` : b.above !== undefined ? `> ${b.above}` : '';
      const high = b.to !== undefined ? `≤ ${b.to}` : b.below !== undefined ? `< ${b.below}` : '';
      return `${[low, high].filter(Boolean).join(' and ') || 'any'} → ${b.points}`;
    })
    .join('; ');

export function describeAspect(a: Aspect): string {
  switch (a.kind) {
    case 'judgement': {
      const { method, dropHighest, dropLowest } = a.aggregation;
      const drops =
        dropHighest + dropLowest > 0 ? ` after dropping ${dropHighest} highest and ${dropLowest} lowest` : '';
      const tolerance = a.tolerance
        ? `; tolerance ${a.tolerance.bands.map((b) => `≥ ${b.atLeast}: ${b.maxSpread}`).join(', ')}${a.tolerance.fallback ? ` else ${a.tolerance.fallback.method} of ${a.panel - a.tolerance.fallback.dropHighest - a.tolerance.fallback.dropLowest}` : ' (flag for re-mark)'}`
        : '';
      const rescale = a.rescale ? `; points = ${method} / ${a.rescale.from} × ${a.rescale.to}` : '';
      return `judgement: ${a.panel} judge(s), ${a.range.min}–${a.range.max} step ${a.step}, ${method}${drops}${tolerance}${rescale}`;
    }
    case 'measurement': {
      const m = a.mapping;
      const how =
        m.type === 'linear'
          ? `linear: ${m.full} → ${a.max}, ${m.zero} → 0`
          : m.type === 'table'
            ? `table: ${bands(m.bands)}`
            : m.type === 'binary'
              ? `yes/no: ${a.max} or 0`
              : `direct, 0–${a.max}`;
      return `measurement${a.unit ? ` (${a.unit})` : ''}: ${how}`;
    }
    case 'deduction':
      return a.bands
        ? `deduction by bands: ${bands(a.bands)}`
        : `deduction: ${a.per} per ${a.unit ?? 'fault'}${a.cap ? `, at most ${a.cap}` : ''}`;
    case 'veto':
      return a.effect === 'disqualify'
        ? 'veto: disqualifies'
        : `veto: zeroes ${(a.targets ?? ['its component']).join(', ')}`;
  }
}

function componentRow(c: Component): string {
  const weight = c.weight ? `${c.weight}%` : '—';
  const scale = c.normaliseTo ? ` (normalised to ${c.normaliseTo})` : '';
  const attempts = c.attempts
    ? `<br>${c.attempts.count} × \`${c.attempts.label}\`${c.attempts.difficulty ? ' × difficulty' : ''}, ${c.attempts.combine}`
    : '';
  const aspects = c.aspects.map((a) => `\`${a.id}\` ${a.name}: ${describeAspect(a)}`).join('<br>');
  return `| \`${c.id}\` ${c.name}${attempts} | ${weight}${scale} | ${aspects} |`;
}

/** The named rounding stages, each with its places and mode (none for most templates). */
const stages = (s: Scheme) =>
  Object.entries(s.rounding.stages ?? {})
    .map(([stage, r]) => (r ? `, ${stage} to ${r.places} places (${r.mode ?? s.rounding.mode})` : ''))
    .join('');

export function renderTemplate(name: string, s: Scheme): string {
  const rounds = s.rounds
    .map(
      (r) =>
        `${r.id}${r.carryOver.length ? ` (+ ${r.carryOver.join(', ')})` : ''}${r.advance ? ` → top ${r.advance}` : ''}`,
    )
    .join(', ');
  const ties =
    s.ranking.tieBreaks.map((t) => `${t.by} (${t.prefer})`).join(', ') ||
    'none (equal totals share the place)';
  return [
    `### \`${name}\` — ${s.name}${s.nameEn ? ` / ${s.nameEn}` : ''}`,
    '',
    s.source ? `Source: ${s.source}` : '',
    '',
    '| component | weight | aspects |',
    '| --- | --- | --- |',
    ...s.components.map(componentRow),
    '',
    `Precision ${s.precision}, rounding at ${s.rounding.at} (${s.rounding.mode})${stages(s)}${s.factor ? `, factor ${s.factor}` : ''}. Rounds: ${rounds}. Tie-breaks: ${ties}.`,
    '',
    '<details><summary>JSON</summary>',
    '',
    '```json',
    JSON.stringify(templateInputs[name], null, 2),
    '```',
    '',
    '</details>',
  ].join('\n');
}

export function renderTemplatesSection(): string {
  return templateNames
    .map((name) => {
      const scheme = getTemplate(name);
      if (!scheme) throw new Error(`template ${name} missing`);
      return renderTemplate(name, scheme);
    })
    .join('\n\n');
}

export function withTemplatesSection(doc: string): string {
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/SCHEMES.md lacks the ${START} … ${END} markers`);
  return `${doc.slice(0, start + START.length)}\n${renderTemplatesSection()}\n${doc.slice(end)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(SCHEMES_DOC, withTemplatesSection(readFileSync(SCHEMES_DOC, 'utf8')));
  console.log(`updated ${SCHEMES_DOC}`);
}
