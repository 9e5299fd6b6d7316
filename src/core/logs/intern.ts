// Byte keys to values without making a string per lookup: the fast path looks an endpoint up by
// its method id and path bytes (a hash, then a byte compare against the stored copy).

interface Slot<T> {
  tag: number;
  bytes: Uint8Array;
  value: T;
  next: Slot<T> | undefined;
}

export class ByteInterner<T> {
  private readonly slots = new Map<number, Slot<T>>();
  /**
   * The slot last found per quick key (tag, length, three bytes): most lines hit a handful of
   * endpoints, and a hit costs one byte compare, no hash over the bytes and no Map lookup.
   */
  private readonly recent: (Slot<T> | undefined)[] = new Array(256).fill(undefined);
  private size = 0;

  /** limit: past this many keys the table starts over (ids in paths must not grow it without bound). */
  constructor(private readonly limit = 10_000) {}

  get(tag: number, buf: Buffer, s: number, e: number): T | undefined {
    const q = e > s ? (tag * 31 + (e - s) * 7 + buf[e - 1]! * 3 + buf[(s + e) >> 1]! + buf[s + ((e - s) >> 2)]!) & 255 : tag & 255;
    const r = this.recent[q];
    if (r !== undefined && r.tag === tag && same(r.bytes, buf, s, e)) return r.value;
    for (let slot = this.slots.get(hash(tag, buf, s, e)); slot !== undefined; slot = slot.next) {
      if (slot.tag === tag && same(slot.bytes, buf, s, e)) {
        this.recent[q] = slot;
        return slot.value;
      }
    }
    return undefined;
  }

  set(tag: number, buf: Buffer, s: number, e: number, value: T): void {
    if (this.size >= this.limit) this.clear();
    const h = hash(tag, buf, s, e);
    this.slots.set(h, { tag, bytes: new Uint8Array(buf.subarray(s, e)), value, next: this.slots.get(h) });
    this.size++;
  }

  clear(): void {
    this.slots.clear();
    this.recent.fill(undefined);
    this.size = 0;
  }
}

function same(a: Uint8Array, buf: Buffer, s: number, e: number): boolean {
  if (a.length !== e - s) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== buf[s + i]) return false;
  return true;
}

/** FNV-1a. */
function hash(tag: number, buf: Buffer, s: number, e: number): number {
  let h = (0x811c9dc5 ^ tag) | 0;
  for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h;
}
