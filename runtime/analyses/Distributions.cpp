// Inverse-CDF samplers for params; the exact formulas are documented in docs/analyses.md.
#include "analyses/Distributions.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <map>
#include <mutex>

#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <fmt/format.h>

#include "analyses/SamplerMath.h"

namespace camp::analyses {
namespace {

// Boost's default promotes double to long double: ten times slower for no gain we can use.
using FastPolicy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
// The table's far knots meet an infinite pdf (a < 1 at x = 0): an infinity, not an exception.
using TablePolicy = boost::math::policies::policy<
    boost::math::policies::promote_double<false>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::underflow_error<boost::math::policies::ignore_error>>;

std::string distName(ir::DistKind kind) {
  switch (kind) {
  case ir::DistKind::Uniform: return "uniform";
  case ir::DistKind::Triangular: return "triangular";
  case ir::DistKind::Pert: return "pert";
  case ir::DistKind::Normal: return "normal";
  case ir::DistKind::Lognormal: return "lognormal";
  case ir::DistKind::Beta: return "beta";
  case ir::DistKind::Discrete: return "discrete";
  case ir::DistKind::None: break;
  }
  return "distribution";
}

bool allFinite(const std::vector<double> &xs) {
  return std::all_of(xs.begin(), xs.end(), [](double x) { return std::isfinite(x); });
}

} // namespace

double normalQuantile(double u) {
  return -1.4142135623730950488 * boost::math::erfc_inv(2.0 * u, FastPolicy());
}

namespace {

/// The knot x with I_x(a, b) = u (t < 0) or 1 - I_x(a, b) = v (t >= 0) by Halley steps from a
/// guess; nullopt unless they settle within 8 steps (the caller then asks Boost's ibeta_inv).
/// For a, b >= 1 and the previous knots' extrapolation as the guess, two steps a knot on
/// average: three times faster than ibeta_inv, which starts from scratch at every knot.
std::optional<double> refineKnot(double a, double b, double t, double u, double v, double x) {
  for (int step = 0; step < 8; ++step) {
    double excess = t < 0 ? boost::math::ibeta(a, b, x, TablePolicy()) - u
                          : v - boost::math::ibetac(a, b, x, TablePolicy());
    double pdf = boost::math::ibeta_derivative(a, b, x, TablePolicy());
    if (!(pdf > 0) || !std::isfinite(pdf))
      return std::nullopt;
    double dx = excess / pdf;
    // Halley's correction, pdf'/pdf = (a - 1)/x - (b - 1)/(1 - x), where it is a small one.
    double halley = 1 - 0.5 * dx * ((a - 1) / x - (b - 1) / (1 - x));
    if (halley > 0.5 && halley < 2)
      dx /= halley;
    double next = x - dx;
    if (next <= 0)
      next = x / 2;
    else if (next >= 1)
      next = (1 + x) / 2;
    if (std::fabs(next - x) <= 1e-15 * next)
      return next;
    x = next;
  }
  return std::nullopt;
}

} // namespace

// The table is uniform in t = logit(u) = ln(u / (1 - u)), where the quantile function of every
// beta is smooth even near u = 0 and u = 1 (there it behaves like exp(t / a) or 1 - exp(-t / b)).
BetaQuantile::BetaQuantile(double a, double b) : a_(a), b_(b) {
  table_.resize(2 * (kKnots + 1));
  // For a or b below 1 the pdf is infinite at an end and the steps settle slowly: Boost there.
  const bool refine = a >= 1 && b >= 1;
  for (int j = 0; j <= kKnots; ++j) {
    double t = kTableLo + j * kStep;
    // u and 1 - u each from its own exp, so neither loses digits in the far tails.
    double u = 1 / (1 + std::exp(-t)), v = 1 / (1 + std::exp(t));
    std::optional<double> x;
    if (refine && j >= 2) {
      double guess = 2 * table_[2 * (j - 1)] - table_[2 * (j - 2)];
      x = refineKnot(a, b, t, u, v, guess > 0 && guess < 1 ? guess : table_[2 * (j - 1)]);
    }
    if (!x)
      x = t < 0 ? boost::math::ibeta_inv(a, b, u, TablePolicy()) : boost::math::ibetac_inv(a, b, v, TablePolicy());
    double pdf = boost::math::ibeta_derivative(a, b, *x, TablePolicy());
    table_[2 * j] = *x;
    // dx/dt = (dx/du)(du/dt) = u (1 - u) / pdf, scaled to the knot interval for the basis.
    table_[2 * j + 1] = pdf > 0 && std::isfinite(pdf) ? kStep * u * v / pdf : 0;
  }
}

namespace {

struct BetaTables {
  std::mutex lock;
  BetaTableStore store;
  // Within a process every sampler of one shape shares a table (weak: freed with the last one).
  std::map<std::pair<uint64_t, uint64_t>, std::weak_ptr<const BetaQuantile>> live;
};

BetaTables &betaTables() {
  static BetaTables tables;
  return tables;
}

} // namespace

void useBetaTableStore(BetaTableStore store) {
  BetaTables &t = betaTables();
  std::lock_guard<std::mutex> guard(t.lock);
  t.store = std::move(store);
}

std::shared_ptr<const BetaQuantile> BetaQuantile::shared(double a, double b) {
  BetaTables &t = betaTables();
  std::pair<uint64_t, uint64_t> shape{std::bit_cast<uint64_t>(a), std::bit_cast<uint64_t>(b)};
  BetaTableStore store;
  {
    std::lock_guard<std::mutex> guard(t.lock);
    if (std::shared_ptr<const BetaQuantile> table = t.live[shape].lock())
      return table;
    store = t.store;
  }
  // The name fixes everything the table depends on but the program (the store adds that): the
  // layout's version, the knots and the exact bits of a and b.
  std::string name = fmt::format("camp-beta-table/2|knots {}|lo {}|a {:016x}|b {:016x}", kKnots, kTableLo,
                                 shape.first, shape.second);
  std::shared_ptr<const BetaQuantile> table;
  if (store.load)
    if (std::optional<std::string> bytes = store.load(name))
      if (std::optional<BetaQuantile> stored = deserialize(a, b, *bytes))
        table = std::make_shared<const BetaQuantile>(std::move(*stored));
  if (!table) {
    table = std::make_shared<const BetaQuantile>(a, b);
    if (store.store)
      store.store(name, table->serialize());
  }
  std::lock_guard<std::mutex> guard(t.lock);
  if (std::shared_ptr<const BetaQuantile> other = t.live[shape].lock()) // another thread won
    return other;
  std::erase_if(t.live, [](const auto &entry) { return entry.second.expired(); }); // a long-lived process
  t.live[shape] = table;
  return table;
}

std::string BetaQuantile::serialize() const {
  std::string bytes(table_.size() * sizeof(double), '\0');
  std::memcpy(bytes.data(), table_.data(), bytes.size());
  return bytes;
}

std::optional<BetaQuantile> BetaQuantile::deserialize(double a, double b, std::string_view bytes) {
  std::vector<double> table(2 * (kKnots + 1));
  if (bytes.size() != table.size() * sizeof(double))
    return std::nullopt;
  std::memcpy(table.data(), bytes.data(), bytes.size());
  for (size_t j = 0; j < table.size(); j += 2) {
    double x = table[j], slope = table[j + 1];
    if (!(x >= 0 && x <= 1) || !(slope >= 0) || !std::isfinite(slope) || (j > 0 && x < table[j - 2]))
      return std::nullopt;
  }
  return BetaQuantile(a, b, std::move(table));
}

double BetaQuantile::direct(double u) const { return boost::math::ibeta_inv(a_, b_, u, FastPolicy()); }

double BetaQuantile::operator()(double u) const {
  return smath::betaTableQuantile(table_.data(), kTableLo, kInvStep, kKnots, u);
}

std::optional<Sampler> Sampler::forParam(const ir::Param &param, std::string &problem) {
  Sampler s;
  s.value_ = param.nominal;
  const ir::Distribution &d = param.dist;
  const std::vector<double> &a = d.args;
  auto fail = [&](const std::string &why) -> std::optional<Sampler> {
    problem = fmt::format("param `{}`: {}", param.name, why);
    return std::nullopt;
  };
  if (d.kind == ir::DistKind::None) {
    if (!param.range)
      return s;
    auto [lo, hi] = *param.range;
    if (!(lo <= hi) || !std::isfinite(lo) || !std::isfinite(hi))
      return fail("its range [lo, hi] needs lo <= hi");
    s.kind_ = lo == hi ? Kind::Fixed : Kind::Uniform;
    s.lo_ = lo, s.hi_ = hi, s.value_ = lo;
    return s;
  }
  if (!allFinite(a) || !allFinite(d.weights))
    return fail(distName(d.kind) + " needs finite arguments");
  size_t want = d.kind == ir::DistKind::Triangular || d.kind == ir::DistKind::Pert ? 3 : 2;
  if (d.kind != ir::DistKind::Discrete && a.size() != want)
    return fail(fmt::format("{} takes {} arguments", distName(d.kind), want));
  switch (d.kind) {
  case ir::DistKind::Uniform:
    if (!(a[0] <= a[1]))
      return fail("uniform(lo, hi) needs lo <= hi");
    s.kind_ = Kind::Uniform, s.lo_ = a[0], s.hi_ = a[1];
    break;
  case ir::DistKind::Triangular:
  case ir::DistKind::Pert: {
    double lo = a[0], mode = a[1], hi = a[2];
    if (!(lo <= mode && mode <= hi && lo < hi))
      return fail(distName(d.kind) + "(lo, mode, hi) needs lo <= mode <= hi and lo < hi");
    s.lo_ = lo, s.mode_ = mode, s.hi_ = hi;
    if (d.kind == ir::DistKind::Triangular) {
      s.kind_ = Kind::Triangular;
      break;
    }
    s.kind_ = Kind::Beta;
    double alpha = 1 + 4 * (mode - lo) / (hi - lo), beta = 1 + 4 * (hi - mode) / (hi - lo);
    s.beta_ = BetaQuantile::shared(alpha, beta);
    break;
  }
  case ir::DistKind::Normal:
    if (!(a[1] >= 0))
      return fail("normal(mean, sd) needs sd >= 0");
    s.kind_ = Kind::Normal, s.mu_ = a[0], s.sigma_ = a[1];
    break;
  case ir::DistKind::Lognormal: {
    if (!(a[0] > 0 && a[1] >= 0))
      return fail("lognormal(mean, sd) needs mean > 0 and sd >= 0");
    double sigma2 = std::log1p((a[1] / a[0]) * (a[1] / a[0]));
    s.kind_ = Kind::Lognormal, s.sigma_ = std::sqrt(sigma2), s.mu_ = std::log(a[0]) - sigma2 / 2;
    break;
  }
  case ir::DistKind::Beta:
    if (!(a[0] > 0 && a[1] > 0))
      return fail("beta(a, b) needs a > 0 and b > 0");
    s.kind_ = Kind::Beta, s.lo_ = 0, s.hi_ = 1;
    s.beta_ = BetaQuantile::shared(a[0], a[1]);
    break;
  case ir::DistKind::Discrete: {
    if (a.empty() || a.size() != d.weights.size())
      return fail("discrete(v1: p1, ...) needs one probability per value");
    double total = 0;
    for (double w : d.weights) {
      if (w < 0)
        return fail("discrete(...) probabilities cannot be negative");
      total += w;
    }
    if (!(total > 0))
      return fail("discrete(...) probabilities must add up to more than zero");
    s.kind_ = Kind::Discrete;
    s.values_ = a;
    double running = 0;
    for (double w : d.weights) {
      running += w;
      s.cumulative_.push_back(running / total);
    }
    s.cumulative_.back() = 1.0;
    break;
  }
  case ir::DistKind::None:
    break;
  }
  return s;
}

double Sampler::quantile(double u) const {
  switch (kind_) {
  case Kind::Fixed:
    return value_;
  case Kind::Uniform:
    return lo_ + u * (hi_ - lo_);
  case Kind::Triangular:
    return smath::triangularQuantile(u, lo_, mode_, hi_);
  case Kind::Beta:
    return lo_ + (hi_ - lo_) * (*beta_)(u);
  case Kind::Normal:
    return mu_ + sigma_ * smath::normalQuantile(u);
  case Kind::Lognormal:
    return smath::exp(mu_ + sigma_ * smath::normalQuantile(u));
  case Kind::Discrete:
    return smath::discreteQuantile(values_.data(), cumulative_.data(), int32_t(values_.size()), u);
  }
  return value_;
}

runtime::ParamDraw Sampler::draw(uint32_t key) const {
  runtime::ParamDraw d;
  d.key = key;
  switch (kind_) {
  case Kind::Fixed:
    d.kind = runtime::DrawKind::Fixed;
    break;
  case Kind::Uniform:
    d.kind = runtime::DrawKind::Uniform;
    d.c[0] = lo_, d.c[1] = hi_;
    break;
  case Kind::Triangular:
    d.kind = runtime::DrawKind::Triangular;
    d.c[0] = lo_, d.c[1] = mode_, d.c[2] = hi_;
    break;
  case Kind::Beta:
    d.kind = runtime::DrawKind::BetaTable;
    d.c[0] = lo_, d.c[1] = hi_;
    d.table = beta_->table();
    d.tableLo = BetaQuantile::kTableLo, d.tableInvStep = BetaQuantile::kInvStep;
    d.tableKnots = BetaQuantile::kKnots;
    break;
  case Kind::Normal:
  case Kind::Lognormal:
    d.kind = kind_ == Kind::Normal ? runtime::DrawKind::Normal : runtime::DrawKind::Lognormal;
    d.c[0] = mu_, d.c[1] = sigma_;
    break;
  case Kind::Discrete:
    d.kind = runtime::DrawKind::Discrete;
    d.values = values_;
    d.cumulative = cumulative_;
    break;
  }
  return d;
}

std::pair<double, double> Sampler::plausibleBounds() const {
  switch (kind_) {
  case Kind::Fixed:
    return {value_, value_};
  case Kind::Uniform:
  case Kind::Triangular:
  case Kind::Beta:
    return {lo_, hi_};
  case Kind::Discrete: {
    auto [lo, hi] = std::minmax_element(values_.begin(), values_.end());
    return {*lo, *hi};
  }
  case Kind::Normal:
  case Kind::Lognormal:
    break;
  }
  return {quantile(0.001), quantile(0.999)};
}

} // namespace camp::analyses
