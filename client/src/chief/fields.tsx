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
export function WorkstationField(props: FieldProps) {
  const { workstations } = useRoundContext();
  return <CodeField {...props} codes={workstations} />;
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

/** One of the codes given (workstations, seats J1 …) to choose from, under a label. */
export function CodeField({ label, value, onChange, codes }: FieldProps & { codes: readonly string[] }) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {codes.map((code) => (
          <option key={code} value={code}>
            {code}
          </option>
        ))}
      </select>
    </label>
  );
}
