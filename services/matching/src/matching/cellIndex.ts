import { SlotList, grown } from './columns.js';

const CELL_DEG = 0.5;
/** km per degree along a meridian at its shortest (the equator): a lower bound for latitude gaps. */
const KM_PER_DEG_LAT_MIN = 110.574;
const KM_PER_DEG = 111.195;
const REMOTE = -1;
const NONE = -2;

interface Cell {
  lat0: number;
  lon0: number;
  list: SlotList;
  /** Largest radius any slot in the cell ever had (an upper bound: never lowered). */
  maxKm: number;
}

/**
 * Slots bucketed by 0.5° cells (about 55 km north–south), plus a list for remote work. A search visits only
 * the cells whose nearest point is within reach, so cost follows the local density, not the national total.
 */
export class CellIndex {
  private readonly cells = new Map<number, Cell>();
  readonly remote = new SlotList();
  private cellOf = new Int32Array(0);
  private posOf = new Int32Array(0);

  grow(capacity: number): void {
    const from = this.cellOf.length;
    this.cellOf = grown(this.cellOf, capacity);
    this.posOf = grown(this.posOf, capacity);
    this.cellOf.fill(NONE, from);
  }

  place(slot: number, remote: boolean, lat: number, lon: number, km = 0): void {
    this.remove(slot);
    if (remote) {
      this.cellOf[slot] = REMOTE;
      this.posOf[slot] = this.remote.push(slot);
      return;
    }
    const row = Math.floor(lat / CELL_DEG);
    const col = Math.floor(lon / CELL_DEG);
    const key = (row + 500) * 1000 + (col + 500);
    let cell = this.cells.get(key);
    if (!cell)
      this.cells.set(key, (cell = { lat0: row * CELL_DEG, lon0: col * CELL_DEG, list: new SlotList(), maxKm: 0 }));
    if (km > cell.maxKm) cell.maxKm = km;
    this.cellOf[slot] = key;
    this.posOf[slot] = cell.list.push(slot);
  }

  remove(slot: number): void {
    const key = this.cellOf[slot]!;
    if (key === NONE) return;
    const list = key === REMOTE ? this.remote : this.cells.get(key)!.list;
    const moved = list.removeAt(this.posOf[slot]!);
    if (moved >= 0) this.posOf[moved] = this.posOf[slot]!;
    this.cellOf[slot] = NONE;
  }

  /**
   * Visits the on-site lists of every cell whose nearest point may lie within `km` of the point
   * (`km` null: within each cell's own largest radius). A superset: callers check the exact distance.
   */
  near(lat: number, lon: number, km: number | null, visit: (list: SlotList) => void): void {
    for (const cell of this.cells.values()) {
      const reach = km ?? cell.maxKm;
      if (cell.list.length === 0 || lowerBoundKm(lat, lon, cell) > reach) continue;
      visit(cell.list);
    }
  }
}

function lowerBoundKm(lat: number, lon: number, cell: Cell): number {
  const dLat = Math.max(0, cell.lat0 - lat, lat - (cell.lat0 + CELL_DEG));
  let dLon = Math.abs(lon - Math.min(Math.max(lon, cell.lon0), cell.lon0 + CELL_DEG));
  if (dLon > 180) dLon = 360 - dLon;
  const latKm = dLat * KM_PER_DEG_LAT_MIN;
  // Along a parallel the great circle is shorter than the arc: only trust the longitude gap when small.
  if (dLon > 20) return latKm;
  const maxAbsLat = Math.min(89, Math.max(Math.abs(lat), Math.abs(cell.lat0), Math.abs(cell.lat0 + CELL_DEG)));
  const lonKm = dLon * KM_PER_DEG * Math.cos((maxAbsLat * Math.PI) / 180) * 0.98;
  return Math.max(latKm, lonKm);
}
