// Public surface of the contracts package; generated types are re-exported from ./generated.
export {};
