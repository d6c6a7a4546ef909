// A hand-written C++ Monte Carlo loop of examples/multichannel.camp: the bar the JIT must clear.
#pragma once

#include <cstdint>
#include <vector>

#include "analyses/Distributions.h"

namespace camp::bench {

/// The random params of the multichannel example, as the hand loop reads them.
struct MultichannelSamplers {
  analyses::Sampler hourly, cpm, emailCtr, smsCtr, socialCtr, conversion, aov;
  uint32_t hourlyIndex, cpmIndex, emailCtrIndex, smsCtrIndex, socialCtrIndex, conversionIndex, aovIndex;
};

struct HandSummary {
  double mean[4] = {}, sd[4] = {}, p5[4] = {}, p50[4] = {}, p95[4] = {};
  uint64_t assertsHeld[2] = {};
};

/// Samples [0, n) with the same stream (uniformOpen01(seed, i, param index)) and the same
/// samplers as `camp mc`, the model's arithmetic written out by hand; keeps every value of the
/// four default metrics and summarises them (mean, sd, sorted percentiles).
HandSummary runHandLoop(const MultichannelSamplers &s, uint64_t seed, uint64_t n);

} // namespace camp::bench
