// A generator of random, well-typed .camp models for the backend's differential tests.
#pragma once

#include <cstdint>
#include <string>

namespace camp::test {

/// Returns the text of a random model that the front end must accept: units and count
/// conversions, rate cards (graduated and volume tiers, allowances, minimums, fees), lets
/// declared in random order, if/min/max/ceil/floor/round, several pipelines with stage
/// inputs, revenue, scenarios and assertions. The same seed gives the same model.
std::string generateModel(uint64_t seed);

} // namespace camp::test
