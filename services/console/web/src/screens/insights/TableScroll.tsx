import type { ReactNode } from 'react';

/**
 * A long or wide table in a box of its own that scrolls with the keyboard too (it takes focus, named
 * like its table), its header row kept in view. On paper the box opens: every row is printed.
 */
export function TableScroll(props: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={props.label} tabIndex={0}>
      {props.children}
    </div>
  );
}
