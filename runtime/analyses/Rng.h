// The counter-based random stream: one uniform per (seed, sample index, param, stream), Philox4x32-10.
#pragma once

#include <Random123/philox.h>
#include <cstdint>

namespace camp::analyses {

/// Draws for different purposes never share a counter, so adding one never shifts another.
enum class Stream : uint32_t { Sample = 0, SobolB = 1, Bootstrap = 2 };

/// A uniform number in the open interval (0, 1), a pure function of its four keys: this is what
/// makes a run identical for any thread count, any engine and any split into parts.
/// Philox4x32-10 (Salmon et al., SC'11) with counter (sample lo, sample hi, param, stream) and
/// key (seed lo, seed hi); the first two output words give 53 bits b, and u = (b + 0.5) / 2^53.
inline double uniformOpen01(uint64_t seed, uint64_t sample, uint32_t param,
                            Stream stream = Stream::Sample) {
  r123::Philox4x32 philox;
  r123::Philox4x32::ctr_type ctr = {
      {uint32_t(sample), uint32_t(sample >> 32), param, uint32_t(stream)}};
  r123::Philox4x32::key_type key = {{uint32_t(seed), uint32_t(seed >> 32)}};
  r123::Philox4x32::ctr_type out = philox(ctr, key);
  uint64_t bits = ((uint64_t(out[0]) << 32) | out[1]) >> 11;
  return (double(bits) + 0.5) * 0x1p-53;
}

} // namespace camp::analyses
