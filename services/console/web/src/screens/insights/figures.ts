/** Figures as the insights service publishes them: a number, "<5" (suppressed) or null (nothing to measure). */
export type Published = number | '<5' | null;

export const SUPPRESSED = '<5';
/** The fewest people a shown figure counts. */
export const THRESHOLD = 5;
export type SortDirection = 'ascending' | 'descending';

/**
 * Every count from 0 to 4 is published as "<5", and so are a few larger cells hidden so that no small one
 * follows by subtraction: "<5" sorts as the smallest figure, which is true of nearly every such cell and
 * gathers them at one end instead of scattering them. "Nothing to measure" (null) is not a figure at all
 * and goes last whichever the direction.
 */
export const compareFigures = (a: Published, b: Published, direction: SortDirection): number => {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const rank = (value: number | '<5') => (value === SUPPRESSED ? -1 : value);
  const order = rank(a) - rank(b);
  if (order === 0) return 0;
  return direction === 'ascending' ? order : -order;
};

/** Rows sorted by one figure (stable: equal figures keep the service's order, by name). */
export const sortRows = <Row>(rows: readonly Row[], figure: (row: Row) => Published, direction: SortDirection): Row[] =>
  rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => compareFigures(figure(a.row), figure(b.row), direction) || a.index - b.index)
    .map(({ row }) => row);

/** A figure's length on a chart: a hidden cell has none (it is drawn apart, labelled "<5"). */
export const plotted = (value: Published): number => (typeof value === 'number' ? value : 0);
