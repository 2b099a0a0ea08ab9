#include "e3/o3/clebsch_gordan.h"

#include <torch/torch.h>

#include <cmath>
#include <complex>
#include <cstdlib>
#include <map>
#include <mutex>
#include <stdexcept>
#include <tuple>
#include <vector>

namespace e3::o3 {
namespace {

using Complex = std::complex<long double>;

long double factorial(int n) {
  static const std::vector<long double> table = [] {
    std::vector<long double> values(301, 1.0L);
    for (int i = 1; i <= 300; ++i) values[i] = values[i - 1] * i;
    return values;
  }();
  return table.at(n);
}

// <j1 m1 j2 m2 | j m> by Racah's formula (Condon-Shortley phase convention).
long double complex_clebsch_gordan(int j1, int m1, int j2, int m2, int j, int m) {
  if (m != m1 + m2) return 0.0L;
  const long double prefactor = std::sqrt((2.0L * j + 1.0L) * factorial(j + j1 - j2) * factorial(j - j1 + j2) *
                                          factorial(j1 + j2 - j) / factorial(j1 + j2 + j + 1)) *
                                std::sqrt(factorial(j + m) * factorial(j - m) * factorial(j1 - m1) *
                                          factorial(j1 + m1) * factorial(j2 - m2) * factorial(j2 + m2));
  long double sum = 0.0L;
  for (int k = 0; k <= j1 + j2 - j; ++k) {
    const int a = j1 + j2 - j - k, b = j1 - m1 - k, c = j2 + m2 - k, d = j - j2 + m1 + k, e = j - j1 - m2 + k;
    if (a < 0 || b < 0 || c < 0 || d < 0 || e < 0) continue;
    const long double term = 1.0L / (factorial(k) * factorial(a) * factorial(b) * factorial(c) * factorial(d) * factorial(e));
    sum += (k % 2 == 0) ? term : -term;
  }
  return prefactor * sum;
}

// One nonzero entry of the change of basis (2.27): real harmonic Y_a = sum_m Q[a][m] Ytilde_m.
struct BasisTerm {
  int m;
  Complex value;
};

// The (at most two) nonzero entries of row a (a = -l..l) of Q.
std::vector<BasisTerm> real_from_complex(int a) {
  const long double r = 1.0L / std::sqrt(2.0L);
  const long double sign = (std::abs(a) % 2 == 0) ? 1.0L : -1.0L;  // (-1)^a
  if (a < 0) return {{a, Complex(0, r)}, {-a, Complex(0, -sign * r)}};
  if (a == 0) return {{0, Complex(1, 0)}};
  return {{-a, Complex(r, 0)}, {a, Complex(sign * r, 0)}};
}

// C_real[a,b,c] = sum conj(Q1[a,m1]) conj(Q2[b,m2]) <l1 m1 l2 m2 | l m> Q[c,m]: the coupled
// function sum_{a,b} C_real[a,b,c] Y_a(x) Y_b(x') is then the real combination c of the
// complex coupled functions, which transforms like Y^l.
torch::Tensor compute(int l1, int l2, int l) {
  auto result = torch::zeros({2 * l1 + 1, 2 * l2 + 1, 2 * l + 1}, torch::kDouble);
  if (l < std::abs(l1 - l2) || l > l1 + l2) return result;
  const bool imaginary = (l1 + l2 + l) % 2 == 1;
  auto r = result.accessor<double, 3>();
  for (int a = -l1; a <= l1; ++a) {
    for (int b = -l2; b <= l2; ++b) {
      for (int c = -l; c <= l; ++c) {
        Complex sum = 0;
        for (const auto& t1 : real_from_complex(a)) {
          for (const auto& t2 : real_from_complex(b)) {
            for (const auto& t : real_from_complex(c)) {
              if (t.m != t1.m + t2.m) continue;
              sum += std::conj(t1.value) * std::conj(t2.value) * t.value *
                     complex_clebsch_gordan(l1, t1.m, l2, t2.m, l, t.m);
            }
          }
        }
        // Multiplying a purely imaginary result by -i makes it real.
        r[a + l1][b + l2][c + l] = static_cast<double>(imaginary ? sum.imag() : sum.real());
      }
    }
  }
  return result;
}

}  // namespace

torch::Tensor clebsch_gordan(int l1, int l2, int l, torch::Dtype dtype) {
  if (l1 < 0 || l2 < 0 || l < 0) throw std::invalid_argument("clebsch_gordan: orders must not be negative");
  if (l1 + l2 + l > 140) throw std::invalid_argument("clebsch_gordan: orders too large (l1 + l2 + l > 140)");
  static std::mutex mutex;
  static std::map<std::tuple<int, int, int>, torch::Tensor> cache;
  torch::Tensor coefficients;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto key = std::make_tuple(l1, l2, l);
    auto found = cache.find(key);
    if (found == cache.end()) found = cache.emplace(key, compute(l1, l2, l)).first;
    coefficients = found->second;
  }
  return coefficients.to(dtype, /*non_blocking=*/false, /*copy=*/true);
}

}  // namespace e3::o3
