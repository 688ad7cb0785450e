import { useCallback } from 'react';
import { useI18n } from '../common/i18n';
import type { GridItem } from '../common/live/grid';
import { useRoundContext } from './round';

/** An item as people read it: the aspect's name, with the attempt (`dive-3`) when there are attempts. */
export function useItemLabel() {
  const { pick } = useI18n();
  return useCallback(
    (item: GridItem | undefined, fallback = '') => {
      if (!item) return fallback;
      const name = pick(item.aspect.name, item.aspect.nameEn);
      if (item.attempt === null) return name;
      const attempt = item.item.split(':')[0] ?? item.item;
      return item.item.includes(':') ? `${attempt} ${name}` : attempt;
    },
    [pick],
  );
}

/** An item name of the API (`quality`) as the chief judge reads it (焊缝质量). */
export function useWhere() {
  const { items } = useRoundContext();
  const label = useItemLabel();
  return (item: string | null) =>
    label(
      items.find((i) => i.item === item),
      item ?? '',
    );
}
