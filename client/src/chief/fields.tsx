import { useState } from 'react';
import { useItemLabel } from './labels';
import { useRoundContext } from './round';

interface FieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
}

/** The workstation and item a form is about, the round's first of each to begin with. */
export function usePlaceChoice() {
  const { workstations, items } = useRoundContext();
  const [workstation, setWorkstation] = useState(workstations[0] ?? '');
  const [item, setItem] = useState(items[0]?.item ?? '');
  return { workstation, setWorkstation, item, setItem };
}

/** The round's workstations to choose from, under a label. */
export function WorkstationField({ label, value, onChange }: FieldProps) {
  const { workstations } = useRoundContext();
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {workstations.map((w) => (
          <option key={w} value={w}>
            {w}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The scheme's items to choose from, by name, under a label; the value is the item name of the API. */
export function ItemField({ label, value, onChange }: FieldProps) {
  const { items } = useRoundContext();
  const name = useItemLabel();
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {items.map((i) => (
          <option key={i.item} value={i.item}>
            {name(i)}
          </option>
        ))}
      </select>
    </label>
  );
}
