/**
 * The replica's own copy of entries it read from the shared cache, so a large view does not
 * fetch and parse thousands of entries from Redis on every request. An entry is used only while
 * `isFresh` says so and while its environment's generation (a key in the shared cache that every
 * invalidation changes, on any replica) is the one it was stored under; otherwise the shared
 * cache is asked again. A change another replica wrote drops the copy (`delete`). Bounded: the
 * oldest entries go first.
 */
export class LocalEntries<E> {
  private readonly entries = new Map<
    string,
    { entry: E; generation: string }
  >();

  constructor(
    private readonly isFresh: (entry: E, now: number) => boolean,
    private readonly max = 20_000,
  ) {}

  get(key: string, generation: string, now: number): E | undefined {
    const hit = this.entries.get(key);
    return hit && hit.generation === generation && this.isFresh(hit.entry, now)
      ? hit.entry
      : undefined;
  }

  set(key: string, entry: E, generation: string) {
    this.entries.delete(key);
    this.entries.set(key, { entry, generation });
    if (this.entries.size > this.max) {
      this.entries.delete(this.entries.keys().next().value!);
    }
  }

  delete(key: string) {
    this.entries.delete(key);
  }
}
