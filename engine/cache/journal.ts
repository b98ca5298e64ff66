/**
 * Undo records for in-memory writes: while a transaction is open, every write to a
 * JournaledMap notes how to undo it, and a failed transaction replays them backwards,
 * so the memory store's transactions roll back as SQLite's do.
 */
export class Journal {
  private entries: (() => void)[] | undefined;

  run<T>(fn: () => T): T {
    if (this.entries !== undefined) return fn(); // nested: part of the outer transaction
    this.entries = [];
    try {
      const out = fn();
      this.entries = undefined;
      return out;
    } catch (err) {
      const undo = this.entries ?? [];
      this.entries = undefined;
      for (const step of undo.reverse()) step();
      throw err;
    }
  }

  note<K, V>(map: Map<K, V>, key: K): void {
    if (this.entries === undefined) return;
    const had = Map.prototype.has.call(map, key);
    const old = Map.prototype.get.call(map, key) as V;
    this.entries.push(() => (had ? Map.prototype.set.call(map, key, old) : Map.prototype.delete.call(map, key)));
  }
}

/** A Map whose writes a Journal can undo. Values are replaced, never changed in place. */
export class JournaledMap<K, V> extends Map<K, V> {
  constructor(private readonly journal: Journal) {
    super();
  }

  override set(key: K, value: V): this {
    this.journal.note(this, key);
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.journal.note(this, key);
    return super.delete(key);
  }
}
