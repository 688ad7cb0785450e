/** A column of a table's header: its heading, and the classes its cells share (`num` right-aligns). */
export interface Column {
  label: string;
  className?: string;
}

/** A table's one header row; `false` leaves out a column the table does not show. */
export function TableHead({ columns }: { columns: (Column | false)[] }) {
  return (
    <thead>
      <tr>
        {columns
          .filter((column) => column !== false)
          .map((column) => (
            <th key={column.label} scope="col" className={column.className}>
              {column.label}
            </th>
          ))}
      </tr>
    </thead>
  );
}
