// The counter-based random stream: one uniform per (seed, sample index, param, stream), Philox4x32-10.
#pragma once

#include <Random123/philox.h>
#include <array>
#include <cstdint>

#include "analyses/SamplerConstants.h"

namespace camp::analyses {

/// Draws for different purposes never share a counter, so adding one never shifts another.
enum class Stream : uint32_t { Sample = 0, SobolB = 1, Bootstrap = 2 };

/// Word 3 of the counter of a Latin hypercube block's permutation keys: the stream with its top
/// bit set, so these counters never meet a sample's (streams are small numbers).
constexpr uint32_t kLatinKeyTag = smath::kLatinKeyTag;

/// Philox4x32-10 (Salmon et al., SC'11) of counter (lo, hi, param, word3) and key (seed lo,
/// seed hi): the generator behind every draw. The JIT's fused kernel emits the same rounds.
inline std::array<uint32_t, 4> philox(uint64_t seed, uint64_t counter, uint32_t param, uint32_t word3) {
  r123::Philox4x32 philox;
  r123::Philox4x32::ctr_type ctr = {{uint32_t(counter), uint32_t(counter >> 32), param, word3}};
  r123::Philox4x32::key_type key = {{uint32_t(seed), uint32_t(seed >> 32)}};
  r123::Philox4x32::ctr_type out = philox(ctr, key);
  return {out[0], out[1], out[2], out[3]};
}

/// 53 random bits of one draw: the top 53 of Philox's first two output words.
inline uint64_t randomBits53(uint64_t seed, uint64_t sample, uint32_t param,
                             Stream stream = Stream::Sample) {
  std::array<uint32_t, 4> out = philox(seed, sample, param, uint32_t(stream));
  return ((uint64_t(out[0]) << 32) | out[1]) >> 11;
}

/// The largest uniform: below 1 by one ulp. (b + 0.5) / 2^53 rounds to exactly 1 for the top
/// b (b + 0.5 is a tie between two doubles there), so the result is capped: u < 1 always.
constexpr double kMaxUniform = 1 - 0x1p-53;

/// 53 bits b as a uniform in (0, 1): (b + 0.5) / 2^53, capped at kMaxUniform; 2^-54 <= u.
inline double openUniform(uint64_t bits53) {
  double u = (double(bits53) + 0.5) * 0x1p-53;
  return u < kMaxUniform ? u : kMaxUniform;
}

/// A uniform number in the open interval (0, 1), a pure function of its four keys: this is what
/// makes a run identical for any thread count, any engine and any split into parts.
inline double uniformOpen01(uint64_t seed, uint64_t sample, uint32_t param,
                            Stream stream = Stream::Sample) {
  return openUniform(randomBits53(seed, sample, param, stream));
}

/// The four round keys of a Latin hypercube block's stratum permutation for one param.
inline std::array<uint32_t, 4> latinKeys(uint64_t seed, uint64_t block, uint32_t param, Stream stream) {
  return philox(seed, block, param, uint32_t(stream) | kLatinKeyTag);
}

/// Chris Wellons' "lowbias32" integer hash (two multiplies, three xor-shifts).
inline uint32_t mix32(uint32_t x) {
  x ^= x >> 16;
  x *= smath::kMix32A;
  x ^= x >> 15;
  x *= smath::kMix32B;
  x ^= x >> 16;
  return x;
}

/// The stratum of position i (0..1023) of a block: a 4-round balanced Feistel network on 5 + 5
/// bits with round function mix32(right ^ key) & 31. A Feistel network is a bijection whatever
/// its round function, so the block holds every stratum once; per sample it costs a few
/// integer operations, which is what lets the JIT compute it inside the vector loop.
inline uint32_t latinStratum(uint32_t i, const std::array<uint32_t, 4> &keys) {
  uint32_t left = i >> 5, right = i & 31u;
  for (uint32_t k : keys) {
    uint32_t f = mix32(right ^ k) & 31u;
    uint32_t next = left ^ f;
    left = right;
    right = next;
  }
  return (left << 5) | right;
}

/// A Latin hypercube uniform: the stratum in the top 10 of 53 bits, the draw's own top 43 bits
/// below it, so u = (stratum + v) / 1024 with v in (0, 1), 2^-54 <= u <= kMaxUniform.
inline double latinUniform(uint32_t stratum, uint64_t bits53) {
  return openUniform((uint64_t(stratum) << 43) | (bits53 >> 10));
}

} // namespace camp::analyses
