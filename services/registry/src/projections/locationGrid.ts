/**
 * Locations in grid cells of a quarter degree, each cell's points in parallel typed arrays: a distance
 * search reads the cells its radius reaches as flat number arrays, not one object per location.
 */
export const CELL_DEGREES = 0.25;
const COLUMNS = 360 / CELL_DEGREES;
const rowOf = (latitude: number): number => Math.floor((latitude + 90) / CELL_DEGREES);
const columnOf = (longitude: number): number => Math.floor((longitude + 180) / CELL_DEGREES);

class Cell {
  size = 0;
  slots = new Int32Array(8);
  /** The location's position in its service's (key-ordered) locations. */
  positions = new Int32Array(8);
  latitudes = new Float64Array(8);
  longitudes = new Float64Array(8);

  add(slot: number, position: number, latitude: number, longitude: number): void {
    if (this.size === this.slots.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.slots = grow(this.slots);
      this.positions = grow(this.positions);
      this.latitudes = grow(this.latitudes);
      this.longitudes = grow(this.longitudes);
    }
    const i = this.size++;
    this.slots[i] = slot;
    this.positions[i] = position;
    this.latitudes[i] = latitude;
    this.longitudes[i] = longitude;
  }

  /** Removes the slot's points (the order inside a cell carries no meaning: the last fills the gap). */
  removeSlot(slot: number): void {
    for (let i = 0; i < this.size;) {
      if (this.slots[i] !== slot) {
        i++;
        continue;
      }
      const last = --this.size;
      this.slots[i] = this.slots[last]!;
      this.positions[i] = this.positions[last]!;
      this.latitudes[i] = this.latitudes[last]!;
      this.longitudes[i] = this.longitudes[last]!;
    }
  }
}

export interface GridBox {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

export class LocationGrid {
  private readonly cells = new Map<number, Cell>();

  clear(): void {
    this.cells.clear();
  }

  private cellKey(latitude: number, longitude: number): number {
    return rowOf(latitude) * COLUMNS + columnOf(longitude);
  }

  add(slot: number, locations: readonly { latitude: number; longitude: number }[]): void {
    locations.forEach((l, position) => {
      const key = this.cellKey(l.latitude, l.longitude);
      let cell = this.cells.get(key);
      if (!cell) {
        cell = new Cell();
        this.cells.set(key, cell);
      }
      cell.add(slot, position, l.latitude, l.longitude);
    });
  }

  remove(slot: number, locations: readonly { latitude: number; longitude: number }[]): void {
    for (const key of new Set(locations.map((l) => this.cellKey(l.latitude, l.longitude)))) {
      const cell = this.cells.get(key);
      if (!cell) continue;
      cell.removeSlot(slot);
      if (cell.size === 0) this.cells.delete(key);
    }
  }

  /**
   * The non-empty cells overlapping the box that `reaches` keeps (given each cell's bounds), or null
   * when the box spans more than `maxCells` cells (then a pass over the candidates is as cheap).
   */
  cellsIn(box: GridBox, maxCells: number, reaches: (cell: GridBox) => boolean): Cell[] | null {
    const firstRow = rowOf(box.minLat);
    const firstColumn = columnOf(box.minLon);
    const rows = rowOf(box.maxLat) - firstRow + 1;
    const columns = columnOf(box.maxLon) - firstColumn + 1;
    if (rows * columns > maxCells) return null;
    const found: Cell[] = [];
    for (let r = firstRow; r < firstRow + rows; r++)
      for (let c = firstColumn; c < firstColumn + columns; c++) {
        const cell = this.cells.get(r * COLUMNS + c);
        if (!cell) continue;
        const minLat = r * CELL_DEGREES - 90;
        const minLon = c * CELL_DEGREES - 180;
        if (reaches({ minLat, maxLat: minLat + CELL_DEGREES, minLon, maxLon: minLon + CELL_DEGREES })) found.push(cell);
      }
    return found;
  }
}

export type { Cell as GridCell };
