// Random123 known-answer vectors for Philox4x32-10 (kat_vectors in the
// Random123 distribution, D. E. Shaw Research): counter[4], key[2] -> output[4].
export const RANDOM123_KAT = [
  { counter: [0, 0, 0, 0], key: [0, 0], expected: [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8] },
  {
    counter: [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    key: [0xffffffff, 0xffffffff],
    expected: [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
  },
  {
    counter: [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
    key: [0xa4093822, 0x299f31d0],
    expected: [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
  },
];

export const hex = (xs: ArrayLike<number>): string[] => Array.from(xs, (x) => (x >>> 0).toString(16).padStart(8, '0'));

// Random123 known-answer vectors for Threefry-2x32-20 (same kat_vectors file): counter[2], key[2] -> output[2].
export const THREEFRY_KAT = [
  { counter: [0, 0], key: [0, 0], expected: [0x6b200159, 0x99ba4efe] },
  { counter: [0xffffffff, 0xffffffff], key: [0xffffffff, 0xffffffff], expected: [0x1cb996fc, 0xbb002be7] },
  { counter: [0x243f6a88, 0x85a308d3], key: [0x13198a2e, 0x03707344], expected: [0xc4923a9c, 0x483df7a0] },
];

/** The inputs of known-answer cases, as a GPU harness takes them. */
export const katInputs = (kats: readonly { counter: number[]; key: number[] }[]) => kats.map(({ counter, key }) => ({ counter, key }));

/** Outputs of `words` u32 per case, as hex strings per case (to compare with `hex(kat.expected)` per case). */
export function hexPerCase(out: ArrayLike<number>, words: number): string[][] {
  const words32 = Array.from(out);
  return Array.from({ length: Math.ceil(words32.length / words) }, (_, i) => hex(words32.slice(words * i, words * i + words)));
}
