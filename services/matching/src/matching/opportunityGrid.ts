import type { CompiledOpportunity } from './compiled.js';

const CELL_DEG = 0.5;
const KM_PER_DEG_LAT = 110.574;

/**
 * Buckets on-site opportunities by 0.5° cells (about 55 km north–south); remote ones are always in reach.
 * A candidate's search visits only the cells its mobility radius can touch.
 */
export class OpportunityGrid {
  private readonly cells = new Map<number, CompiledOpportunity[]>();
  private readonly remote: CompiledOpportunity[] = [];

  add(o: CompiledOpportunity): void {
    if (o.remote) {
      this.remote.push(o);
      return;
    }
    const key = cellKey(cellOf(o.lat), cellOf(o.lon));
    let cell = this.cells.get(key);
    if (!cell) this.cells.set(key, (cell = []));
    cell.push(o);
  }

  remove(o: CompiledOpportunity): void {
    const list = o.remote ? this.remote : this.cells.get(cellKey(cellOf(o.lat), cellOf(o.lon)));
    if (!list) return;
    const i = list.indexOf(o);
    if (i >= 0) {
      list[i] = list[list.length - 1]!;
      list.pop();
    }
  }

  /** Visits every remote opportunity and every on-site one in cells within `km` of the point (a superset). */
  within(lat: number, lon: number, km: number, visit: (o: CompiledOpportunity) => void): void {
    for (const o of this.remote) visit(o);
    const dLat = km / KM_PER_DEG_LAT;
    const cosLat = Math.max(0.01, Math.cos(((Math.abs(lat) + dLat > 89 ? 89 : Math.abs(lat) + dLat) * Math.PI) / 180));
    const dLon = Math.min(180, km / (KM_PER_DEG_LAT * cosLat));
    const r0 = cellOf(lat - dLat);
    const r1 = cellOf(lat + dLat);
    // Near the full circle a wrapped range could visit a cell twice: take every column once instead.
    const fullCircle = dLon >= 170;
    const c0 = fullCircle ? cellOf(-180) : cellOf(lon - dLon);
    const c1 = fullCircle ? cellOf(180) : cellOf(lon + dLon);
    for (let r = r0; r <= r1; r++)
      for (let c = c0; c <= c1; c++) {
        // Longitudes wrap at the antimeridian.
        const wrapped = ((((c * CELL_DEG + 180) % 360) + 360) % 360) / CELL_DEG - 180 / CELL_DEG;
        const cell = this.cells.get(cellKey(r, fullCircle ? c : Math.round(wrapped)));
        if (cell) for (const o of cell) visit(o);
      }
  }
}

const cellOf = (deg: number): number => Math.floor(deg / CELL_DEG);
const cellKey = (row: number, col: number): number => row * 1000 + col;
