/**
 * What the domain needs from ESCO: whether a code exists. The catalogue (src/esco) implements it; the domain
 * stays free of file loading.
 */
export interface EscoLookup {
  occupationIndex(id: string): number;
  skillIndex(id: string): number;
}
