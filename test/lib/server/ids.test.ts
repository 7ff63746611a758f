// Row ids: sequential ones sort in the order they were made, however many share a millisecond or the clock steps back.
import { describe, expect, it } from 'vitest';
import { newId, sequentialId } from '../../../src/lib/server/ids.ts';

describe('sequentialId', () => {
  it('sorts in creation order within one millisecond, across milliseconds and when the clock steps back', () => {
    const ids = [
      ...Array.from({ length: 5000 }, () => sequentialId(1_800_000_000_000)),
      ...Array.from({ length: 10 }, (_, i) => sequentialId(1_800_000_000_001 + i)),
      sequentialId(1_700_000_000_000),
      sequentialId(),
    ];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('fits where random ids go (URL-safe, at most 64 characters)', () => {
    for (const id of [sequentialId(), newId()]) expect(id).toMatch(/^[0-9a-z]{1,64}$/);
  });
});
