// Block-scaled formats, L1 (issue 13 item 6): `tpe verify`'s checker proves every
// block format the engines take (mxfp8_e4m3, mxfp8_e5m2, mxfp6_e3m2, mxfp6_e2m3, mxfp4,
// mxint8, nvfp4, and mixed block x element designs) bit- and cycle-exact, Verilated RTL
// = model = golden GEMM, on odd shapes on a 1x1 and a 3x2 systolic os array, a 2x2 ws
// and a 3x2 is array (blocks spanning K-tiles), a 2x2x4 cube and 2 adder trees of
// depth 4 (54 designs, one Verilator build each; 40 of them took 6 minutes on the
// shared 2-core host). Each design is a section: `full_block_engines_rtl -c fb7`
// runs one.
#include "test_helpers.h"
#include "testbenches/lib/verify.h"
#include <catch2/catch.hpp>

using namespace tpe;
using test::gemm_layer;

TEST_CASE("every block format: Verilated RTL = model = golden on odd shapes, every engine") {
  const std::vector<Layer> shapes = {gemm_layer(1, 1, 1),  gemm_layer(3, 5, 2),
                                     gemm_layer(2, 16, 3), gemm_layer(3, 32, 3),
                                     gemm_layer(2, 33, 1), gemm_layer(5, 70, 4)};
  const std::vector<std::string> engines = {"engine: systolic\nrows: 1\ncols: 1\ndataflow: os\n",
                                            "engine: systolic\nrows: 3\ncols: 2\ndataflow: os\n",
                                            "engine: systolic\nrows: 2\ncols: 2\ndataflow: ws\n",
                                            "engine: systolic\nrows: 3\ncols: 2\ndataflow: is\n",
                                            "engine: cube\nrows: 2\ncols: 2\ndepth: 4\n",
                                            "engine: adder_tree\ncols: 2\ndepth: 4\n"};
  // the block designs of tests/test_block_engines_rtl.cpp; seeds 32, 33, ...
  CHECK(test::verify_designs(test::cross_designs(engines, test::block_designs()), shapes, "fb", 32,
                             1) == 54);
}
