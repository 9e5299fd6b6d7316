// Byte keys to values without making a string per lookup: the fast path looks an endpoint up by
// its method id and path bytes (a hash, then a byte compare against the stored copy).

interface Slot<T> {
  hash: number;
  tag: number;
  bytes: Uint8Array;
  value: T;
  next: Slot<T> | undefined;
}

export class ByteInterner<T> {
  private readonly slots = new Map<number, Slot<T>>();
  /** The slot last found per low hash bits: most lines hit a handful of endpoints, the Map lookup is skipped. */
  private readonly recent: (Slot<T> | undefined)[] = new Array(64).fill(undefined);
  private size = 0;

  /** limit: past this many keys the table starts over (ids in paths must not grow it without bound). */
  constructor(private readonly limit = 10_000) {}

  get(tag: number, buf: Buffer, s: number, e: number): T | undefined {
    const h = hash(tag, buf, s, e);
    const r = this.recent[h & 63];
    if (r !== undefined && r.hash === h && r.tag === tag && same(r.bytes, buf, s, e)) return r.value;
    for (let slot = this.slots.get(h); slot !== undefined; slot = slot.next) {
      if (slot.tag === tag && same(slot.bytes, buf, s, e)) {
        this.recent[h & 63] = slot;
        return slot.value;
      }
    }
    return undefined;
  }

  set(tag: number, buf: Buffer, s: number, e: number, value: T): void {
    if (this.size >= this.limit) this.clear();
    const h = hash(tag, buf, s, e);
    this.slots.set(h, { hash: h, tag, bytes: new Uint8Array(buf.subarray(s, e)), value, next: this.slots.get(h) });
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
