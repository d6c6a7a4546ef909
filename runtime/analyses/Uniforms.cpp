// Uniforms: Philox per (seed, sample, name key), Latin hypercube per block, Iman–Conover ranks.
#include "analyses/Uniforms.h"

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <numbers>

#include "analyses/Distributions.h"

namespace camp::analyses {

uint32_t paramKey(std::string_view name) {
  uint64_t h = 1469598103934665603ull; // FNV-1a, 64 bits, folded to 32
  for (unsigned char c : name) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return uint32_t(h ^ (h >> 32));
}

namespace {

constexpr size_t kN = kUniformBlock;

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// The Latin hypercube of samples [offset, offset + n) of one block for one param:
/// u = (stratum + v) / kN (latinUniform), where v is the sample's own draw and the stratum a
/// keyed Feistel permutation of its position in the block (latinStratum). Nothing but the
/// block's own keys decides its design, and any sample is computed alone (the JIT does so).
void latinBlock(uint64_t seed, Stream stream, uint64_t block, uint32_t key, size_t offset, size_t n,
                double *u, uint16_t *perm) {
  std::array<uint32_t, 4> keys = latinKeys(seed, block, key, stream);
  uint64_t first = block * kN;
  for (size_t i = offset; i < offset + n; ++i) {
    uint32_t stratum = latinStratum(uint32_t(i), keys);
    if (perm)
      perm[i - offset] = uint16_t(stratum);
    u[i - offset] = latinUniform(stratum, randomBits53(seed, first + i, key, stream));
  }
}

/// van der Waerden scores: the normal quantile of (t + 1) / (kN + 1) for rank t.
const std::vector<double> &scores() {
  static const std::vector<double> table = [] {
    std::vector<double> s(kN);
    for (size_t t = 0; t < kN; ++t)
      s[t] = normalQuantile(double(t + 1) / double(kN + 1));
    return s;
  }();
  return table;
}

/// The order of x (indices sorting it): an LSD radix sort, two passes of 11 bits, on the top 22
/// bits of each value's order-preserving image as a float (sign, exponent and 13 bits of
/// mantissa: values within about 1.2e-4 of each other, relatively, keep their index order, which
/// is deterministic; a block's normal scores are about 2.5e-3 apart where they are densest).
/// Several times faster than std::sort on a block, which is what keeps correlation cheap.
void argsort(const double *x, uint16_t *order) {
  constexpr int kBits = 11, kBuckets = 1 << kBits, kMask = kBuckets - 1;
  std::array<uint32_t, kN> key, key2;
  std::array<uint16_t, kN> idx2;
  std::array<uint32_t, kBuckets> low{}, high{}; // both digits' histograms in one pass
  for (size_t i = 0; i < kN; ++i) {
    float f = float(x[i]);
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    bits = (bits & 0x80000000u) ? ~bits : bits | 0x80000000u;
    key[i] = bits >> 10;
    ++low[key[i] & kMask];
    ++high[key[i] >> kBits];
  }
  uint32_t lowAt = 0, highAt = 0;
  for (size_t b = 0; b < size_t(kBuckets); ++b) {
    uint32_t l = low[b], h = high[b];
    low[b] = lowAt, high[b] = highAt;
    lowAt += l, highAt += h;
  }
  for (size_t i = 0; i < kN; ++i) {
    uint32_t at = low[key[i] & kMask]++;
    key2[at] = key[i];
    idx2[at] = uint16_t(i);
  }
  for (size_t i = 0; i < kN; ++i)
    order[high[key2[i] >> kBits]++] = idx2[i];
}

/// Scratch space of one thread for one block.
struct BlockScratch {
  std::vector<uint16_t> perm = std::vector<uint16_t>(kN), order = std::vector<uint16_t>(kN);
  std::vector<double> sorted = std::vector<double>(kN);
  std::vector<std::vector<double>> u;       // full-block uniforms of correlated members
  std::vector<std::vector<uint16_t>> ranks; // their ranks
  std::vector<std::vector<double>> scores;  // their van der Waerden scores
  std::vector<double> column;               // one member's target scores
};

/// The full block of uniforms of one param (its ranks too when `ranks` is given).
void fullBlock(const UniformDesign &d, uint64_t block, size_t p, double *u, uint16_t *ranks,
               BlockScratch &s) {
  uint64_t first = block * kN;
  if (d.method == SamplingMethod::LatinHypercube) {
    latinBlock(d.seed, d.stream, block, d.keys[p], 0, kN, u, ranks);
    return;
  }
  for (size_t i = 0; i < kN; ++i)
    u[i] = uniformOpen01(d.seed, first + i, d.keys[p], d.stream);
  if (ranks) {
    argsort(u, s.order.data());
    for (size_t t = 0; t < kN; ++t)
      ranks[s.order[t]] = uint16_t(t);
  }
}

/// Iman & Conover (1982) on one block: reorders each member's uniforms (keeping the set of
/// values, hence the marginal) so that their van der Waerden scores have correlation `root
/// root^T`, correcting for the chance correlation of the block's own scores.
void imanConover(const UniformDesign &d, BlockScratch &s) {
  const CorrelationPlan &plan = d.correlation;
  size_t k = plan.members.size();
  const std::vector<double> &score = scores();
  static const double norm = [] {
    double sum = 0;
    for (double v : scores())
      sum += v * v;
    return sum;
  }();
  // Plain loops: k is a handful and this runs once per block, where a general matrix library's
  // set-up costs more than the arithmetic.
  s.scores.resize(k);
  for (size_t j = 0; j < k; ++j) {
    s.scores[j].resize(kN);
    for (size_t i = 0; i < kN; ++i)
      s.scores[j][i] = score[s.ranks[j][i]];
  }
  // E = S^T S / norm, the block's own score correlation, and its Cholesky factor Q.
  std::vector<double> E(k * k), Q(k * k, 0.0), Qinv(k * k, 0.0), M(k * k, 0.0);
  for (size_t a = 0; a < k; ++a)
    for (size_t b = 0; b <= a; ++b) {
      double dot = 0;
      for (size_t i = 0; i < kN; ++i)
        dot += s.scores[a][i] * s.scores[b][i];
      E[a * k + b] = E[b * k + a] = dot / norm;
    }
  bool ok = true;
  for (size_t j = 0; j < k && ok; ++j) {
    double dd = E[j * k + j];
    for (size_t m = 0; m < j; ++m)
      dd -= Q[j * k + m] * Q[j * k + m];
    ok = dd > 1e-12;
    if (!ok)
      break;
    Q[j * k + j] = std::sqrt(dd);
    for (size_t i = j + 1; i < k; ++i) {
      double v = E[i * k + j];
      for (size_t m = 0; m < j; ++m)
        v -= Q[i * k + m] * Q[j * k + m];
      Q[i * k + j] = v / Q[j * k + j];
    }
  }
  // M = root Q^-1 (both lower triangular); without a factor (a degenerate block) M = root.
  if (ok) {
    for (size_t c = 0; c < k; ++c) // forward substitution, column c of Q^-1
      for (size_t i = c; i < k; ++i) {
        double v = i == c ? 1.0 : 0.0;
        for (size_t m = c; m < i; ++m)
          v -= Q[i * k + m] * Qinv[m * k + c];
        Qinv[i * k + c] = v / Q[i * k + i];
      }
    for (size_t i = 0; i < k; ++i)
      for (size_t c = 0; c <= i; ++c) {
        double v = 0;
        for (size_t m = c; m <= i; ++m)
          v += plan.root[i * k + m] * Qinv[m * k + c];
        M[i * k + c] = v;
      }
  } else {
    M = plan.root;
  }
  // M is lower triangular, so the first member's target is a positive multiple of its own
  // scores: its order does not change. Each other member's uniforms follow its target's order.
  std::vector<double> &column = s.column;
  column.resize(kN);
  for (size_t j = 1; j < k; ++j) {
    for (size_t i = 0; i < kN; ++i)
      s.sorted[s.ranks[j][i]] = s.u[j][i];
    std::fill(column.begin(), column.end(), 0.0);
    for (size_t m = 0; m <= j; ++m) {
      double w = M[j * k + m];
      const double *sc = s.scores[m].data();
      for (size_t i = 0; i < kN; ++i)
        column[i] += w * sc[i];
    }
    argsort(column.data(), s.order.data());
    for (size_t t = 0; t < kN; ++t)
      s.u[j][s.order[t]] = s.sorted[t];
  }
}

thread_local BlockScratch tScratch;

void drawBlock(const UniformDesign &d, uint64_t block, size_t offset, size_t n,
               const std::vector<double *> &columns, size_t done) {
  BlockScratch &s = tScratch;
  uint64_t first = block * kN + offset;
  const std::vector<size_t> &members = d.correlation.members;
  if (!d.correlation.empty()) {
    size_t k = d.correlation.members.size();
    s.u.resize(k);
    s.ranks.resize(k);
    for (size_t j = 0; j < k; ++j) {
      s.u[j].resize(kN);
      s.ranks[j].resize(kN);
      fullBlock(d, block, d.correlation.members[j], s.u[j].data(), s.ranks[j].data(), s);
    }
    imanConover(d, s);
    for (size_t j = 0; j < k; ++j) {
      size_t p = d.correlation.members[j];
      if (columns[p])
        std::copy_n(s.u[j].data() + offset, n, columns[p] + done);
    }
  }
  for (size_t p = 0; p < d.drawn.size(); ++p) {
    if (!d.drawn[p] || !columns[p] ||
        (!d.correlation.empty() && std::find(members.begin(), members.end(), p) != members.end()))
      continue;
    double *out = columns[p] + done;
    if (d.method == SamplingMethod::Random) {
      for (size_t i = 0; i < n; ++i)
        out[i] = uniformOpen01(d.seed, first + i, d.keys[p], d.stream);
      continue;
    }
    latinBlock(d.seed, d.stream, block, d.keys[p], offset, n, out, nullptr);
  }
}

/// A lower-triangular root L (L L^T = C) of a positive semi-definite correlation matrix: Cholesky,
/// with a column of zeros where the pivot vanishes (C singular, as with r = 1), which is exact
/// for a semi-definite C. Lower triangular keeps the first member's order (see imanConover).
std::vector<double> lowerRoot(const std::vector<double> &c, size_t k) {
  std::vector<double> L(k * k, 0.0);
  for (size_t j = 0; j < k; ++j) {
    double d = c[j * k + j];
    for (size_t m = 0; m < j; ++m)
      d -= L[j * k + m] * L[j * k + m];
    if (d <= 1e-12)
      continue; // the column stays zero
    double root = std::sqrt(d);
    L[j * k + j] = root;
    for (size_t i = j + 1; i < k; ++i) {
      double v = c[i * k + j];
      for (size_t m = 0; m < j; ++m)
        v -= L[i * k + m] * L[j * k + m];
      L[i * k + j] = v / root;
    }
  }
  return L;
}

} // namespace

std::vector<double> nearestCorrelation(const std::vector<double> &a, size_t k) {
  Eigen::Map<const Matrix> A(a.data(), k, k);
  Matrix Y = A, dS = Matrix::Zero(k, k), X = A;
  for (int iter = 0; iter < 1000; ++iter) {
    Matrix R = Y - dS;
    Eigen::SelfAdjointEigenSolver<Matrix> eig(R);
    X = eig.eigenvectors() * eig.eigenvalues().cwiseMax(0.0).asDiagonal() *
        eig.eigenvectors().transpose();
    dS = X - R;
    Matrix next = X;
    next.diagonal().setOnes();
    double change = (next - Y).norm();
    Y = next;
    if (change < 1e-12 * std::max(1.0, Y.norm()))
      break;
  }
  Y = (Y + Y.transpose()) / 2;
  return std::vector<double>(Y.data(), Y.data() + k * k);
}

UniformDesign makeUniformDesign(const ir::Module &module, const std::vector<bool> &drawn,
                                SamplingMethod method, uint64_t seed, Stream stream,
                                bool correlate, std::vector<ChangedPair> *changed) {
  UniformDesign d;
  d.method = method;
  d.seed = seed;
  d.stream = stream;
  d.drawn = drawn;
  d.drawn.resize(module.params.size(), false);
  for (size_t p = 0; p < module.params.size(); ++p) {
    uint32_t key = paramKey(module.params[p].name);
    // Two names with one hash (about one model in 10^9): the later one is salted.
    for (uint32_t salt = 1; std::find(d.keys.begin(), d.keys.end(), key) != d.keys.end(); ++salt)
      key = paramKey(module.params[p].name + "#" + std::to_string(salt));
    d.keys.push_back(key);
  }
  if (!correlate)
    return d;
  std::vector<size_t> &members = d.correlation.members;
  for (const ir::Correlation &c : module.correlations)
    for (int32_t p : {c.a, c.b})
      if (p >= 0 && size_t(p) < d.drawn.size() && d.drawn[p] &&
          std::find(members.begin(), members.end(), size_t(p)) == members.end())
        members.push_back(size_t(p));
  std::sort(members.begin(), members.end());
  size_t k = members.size();
  if (k < 2) {
    members.clear();
    return d;
  }
  auto at = [&](size_t p) { return size_t(std::find(members.begin(), members.end(), p) - members.begin()); };
  std::vector<double> asked(k * k, 0.0);
  std::vector<bool> written(k * k, false);
  for (size_t i = 0; i < k; ++i)
    asked[i * k + i] = 1;
  for (const ir::Correlation &c : module.correlations) {
    if (c.a < 0 || c.b < 0 || !d.drawn[c.a] || !d.drawn[c.b] || c.a == c.b)
      continue;
    size_t i = at(size_t(c.a)), j = at(size_t(c.b));
    asked[i * k + j] = asked[j * k + i] = c.r;
    written[i * k + j] = written[j * k + i] = true;
  }
  std::vector<double> used = nearestCorrelation(asked, k);
  for (size_t i = 0; i < k; ++i)
    for (size_t j = i + 1; j < k; ++j) {
      if (std::abs(used[i * k + j] - asked[i * k + j]) <= 1e-9)
        used[i * k + j] = used[j * k + i] = asked[i * k + j]; // valid as written: keep exactly
      else if (changed)
        changed->push_back({int32_t(members[i]), int32_t(members[j]), asked[i * k + j],
                            used[i * k + j], bool(written[i * k + j])});
    }
  // Spearman r of a normal pair with correlation rho is (6 / pi) asin(rho / 2) (Pearson 1907),
  // so the scores are given rho = 2 sin(pi r / 6); that matrix is projected again if needed.
  std::vector<double> rho(k * k);
  for (size_t i = 0; i < k * k; ++i)
    rho[i] = 2 * std::sin(std::numbers::pi * used[i] / 6);
  Eigen::Map<const Matrix> R(rho.data(), k, k);
  if (Eigen::SelfAdjointEigenSolver<Matrix>(R).eigenvalues().minCoeff() < -1e-12)
    rho = nearestCorrelation(rho, k);
  d.correlation.root = lowerRoot(rho, k);
  return d;
}

void drawUniforms(const UniformDesign &design, uint64_t first, size_t n,
                  const std::vector<double *> &columns) {
  size_t done = 0;
  while (done < n) {
    uint64_t at = first + done, block = at / kN;
    size_t offset = size_t(at - block * kN), m = std::min<size_t>(kN - offset, n - done);
    drawBlock(design, block, offset, m, columns, done);
    done += m;
  }
}

double rankCorrelation(const std::vector<double> &x, const std::vector<double> &y) {
  size_t n = x.size();
  auto ranks = [n](const std::vector<double> &v) {
    std::vector<size_t> idx(n);
    for (size_t i = 0; i < n; ++i)
      idx[i] = i;
    std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
    std::vector<double> r(n);
    for (size_t t = 0; t < n; ++t)
      r[idx[t]] = double(t);
    return r;
  };
  std::vector<double> rx = ranks(x), ry = ranks(y);
  double mean = double(n - 1) / 2, sxy = 0, sxx = 0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) * (rx[i] - mean);
  }
  return sxy / sxx;
}

} // namespace camp::analyses
