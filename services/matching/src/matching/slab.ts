/**
 * Small typed arrays carved out of shared slabs. A profile holds a handful of short arrays; allocated one by
 * one, each would carry its own ArrayBuffer and backing store (≈150 bytes of overhead each), which at
 * 100,000 profiles is most of the index. A slab is freed when no view into it is left.
 */
const SLAB = 1 << 16;

type Ctor<T> = { new (buffer: ArrayBuffer, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

class Slab<T extends Int32Array | Uint16Array | Uint8Array> {
  private buffer = new ArrayBuffer(0);
  private used = 0;
  constructor(private readonly ctor: Ctor<T>) {}

  from(values: ArrayLike<number>): T {
    const n = values.length;
    const bytes = this.ctor.BYTES_PER_ELEMENT;
    if (n * bytes > SLAB / 4) {
      const own = new this.ctor(new ArrayBuffer(n * bytes), 0, n);
      own.set(values);
      return own;
    }
    if (this.used + n * bytes > this.buffer.byteLength) {
      this.buffer = new ArrayBuffer(SLAB);
      this.used = 0;
    }
    const view = new this.ctor(this.buffer, this.used, n);
    view.set(values);
    // Keep the next view aligned for 4-byte elements.
    this.used += Math.ceil((n * bytes) / 4) * 4;
    return view;
  }
}

const int32 = new Slab<Int32Array>(Int32Array);
const uint16 = new Slab<Uint16Array>(Uint16Array);
const uint8 = new Slab<Uint8Array>(Uint8Array);

export const slabInt32 = (values: ArrayLike<number>): Int32Array => int32.from(values);
export const slabUint16 = (values: ArrayLike<number>): Uint16Array => uint16.from(values);
export const slabUint8 = (values: ArrayLike<number>): Uint8Array => uint8.from(values);
