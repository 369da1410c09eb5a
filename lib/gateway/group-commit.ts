/**
 * Group commit: each item joins the batch being collected, and the batch is written by one
 * call of `write` (one statement, one commit) once the batch before it is done — batches one
 * after the other, at most `maxBatch` items each. Alone, an item waits for one statement;
 * under load, hundreds share one. Each caller's promise settles with its own item's result
 * once its batch is written, or rejects when the batch failed.
 */
export function groupCommit<T, R>(write: (batch: T[]) => Promise<R[]>, maxBatch = 500): (item: T) => Promise<R> {
  let collecting: { items: T[]; results: Promise<R[]> } | null = null;
  let written: Promise<unknown> = Promise.resolve();
  return (item) => {
    if (!collecting || collecting.items.length >= maxBatch) {
      const items: T[] = [];
      const results = written.then(() => {
        if (collecting?.items === items) collecting = null;
        return write(items);
      });
      collecting = { items, results };
      written = results.catch(() => undefined);
    }
    const index = collecting.items.push(item) - 1;
    return collecting.results.then((results) => results[index]!);
  };
}
