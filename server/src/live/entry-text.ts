import type { LiveRoundInput } from './store';

/**
 * The JSON text of a live entry, as JSON.stringify writes it but for one thing: a standing's breakdown (its
 * `components`, most of an entry's bytes) is written once per breakdown object and reused. A recomputation
 * keeps the breakdown of every competitor whose marks did not change (results/report.ts shares them), so a
 * round's entry is no longer written whole after each mark. Breakdowns are never changed once made.
 */
const texts = new WeakMap<object, string>();

function breakdownText(components: object): string {
  let text = texts.get(components);
  if (text === undefined) {
    text = JSON.stringify(components);
    texts.set(components, text);
  }
  return text;
}

type Standing = LiveRoundInput['event']['standings'][number];

function standingText(standing: Standing): string {
  const { components, ...head } = standing;
  if (typeof components !== 'object' || components === null) return JSON.stringify(standing);
  const start = JSON.stringify(head);
  const end = `"components":${breakdownText(components)}}`;
  return start === '{}' ? `{${end}` : `${start.slice(0, -1)},${end}`;
}

/** An object's JSON text with some fields written by their own writer (fields holding undefined left out). */
function objectText(value: object, writers: Record<string, (field: never) => string>): string {
  const fields: string[] = [];
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined) continue;
    const write = writers[key] as ((field: unknown) => string) | undefined;
    fields.push(`${JSON.stringify(key)}:${write ? write(field) : JSON.stringify(field)}`);
  }
  return `{${fields.join(',')}}`;
}

const standingsText = (standings: readonly Standing[]) => `[${standings.map(standingText).join(',')}]`;

export function entryText(body: Omit<LiveRoundInput, 'sourceVersion'>): string {
  return objectText(body, {
    event: (event: LiveRoundInput['event']) => objectText(event, { standings: standingsText }),
  });
}
