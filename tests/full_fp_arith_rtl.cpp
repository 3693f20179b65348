// Long L0 suite (label full): one accumulate step of every E4M3 and E5M2 product
// pair into fp32, fp16 and bf16 from the whole edge set of accumulator values
// (zeros, subnormals, min normal, the largest finite values, Inf, NaNs, ordinary
// values), the fixed accumulator from every edge state and the fp32 accumulate of
// every E4M3 L-Mul product from every edge accumulator, and the same accumulate
// step for every FP6 (E3M2, E2M3), FP4 (E2M1) and mixed E4M3 x E5M2 pair; RTL vs model
// bit for bit.
#include "fp_rtl_bundles.h"
#include <chrono>

using namespace tpe;
using namespace tpe::fptest;

TEST_CASE("L0 full: every E4M3/E5M2 pair x every edge accumulator, model vs RTL") {
  const auto t0 = std::chrono::steady_clock::now();
  const Bundle b = fp8_bundle();
  std::vector<UnitVector> v;
  add_acc_vectors(v, 2, e4m3(), 1000);
  add_acc_vectors(v, 3, e5m2(), 1000);
  add_fixed_lmul_vectors(v, 1000);
  for (size_t i = 0; i < small_layouts().size(); ++i)
    add_acc_vectors(v, 6 + int(i), small_layouts()[i], 1000);
  add_mixed_vectors(v, 1000);
  CHECK(b.check(v, "L0 fp8 operators") == 0);
  std::cerr << "L0 full fp8: " << v.size() << " vectors in "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()
            << " s\n";
}
