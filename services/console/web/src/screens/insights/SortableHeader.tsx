import type { SortDirection } from './figures.js';

export interface SortState<Key extends string> {
  key: Key;
  direction: SortDirection;
}

/**
 * A column header that sorts the table: a real button (Tab, Enter or Space), its state on the header
 * as aria-sort. A first press sorts largest first, as a figure column is mostly read for its top.
 */
export function SortableHeader<Key extends string>(props: {
  column: Key;
  label: string;
  sort: SortState<Key> | null;
  onSort: (sort: SortState<Key>) => void;
}) {
  const active = props.sort?.key === props.column;
  const direction = active ? props.sort!.direction : undefined;
  return (
    <th scope="col" aria-sort={direction ?? 'none'} className="sortable">
      <button
        type="button"
        className="sort-button"
        onClick={() =>
          props.onSort({
            key: props.column,
            direction: direction === 'descending' ? 'ascending' : 'descending',
          })
        }
      >
        {props.label}
        <span className="sort-mark" aria-hidden="true">
          {direction === 'descending' ? '▼' : direction === 'ascending' ? '▲' : '↕'}
        </span>
      </button>
    </th>
  );
}
