/** The HSDS 3.0 paged list wrapper (openapi.json `Page` + `contents`). Pages are 1-based. */
export interface HsdsPage<T> {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: T[];
}

export const toHsdsPage = <T>(
  contents: T[],
  options: { pageNumber: number; perPage: number; totalItems: number },
): HsdsPage<T> => {
  const totalPages = Math.max(1, Math.ceil(options.totalItems / options.perPage));
  return {
    total_items: options.totalItems,
    total_pages: totalPages,
    page_number: options.pageNumber,
    size: contents.length,
    first_page: options.pageNumber <= 1,
    last_page: options.pageNumber >= totalPages,
    empty: options.totalItems === 0,
    contents,
  };
};
