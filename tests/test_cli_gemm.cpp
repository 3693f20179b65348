// `tpe gemm` as a user runs it: an int8 GEMM whose C is exact against a product
// computed by hand (with the rounding and saturation of real inputs), --encoded
// codes, --rtl on a 2x2 output-stationary design (one Verilator build, cached),
// one error line with exit status 2 for bad input, an atomic --out, and the value of
// an accumulator word for every accumulator (pe_models/acc_value.h), and float
// designs (tagged [formats]) reproduced by hand from the FP operators.
#include "core/arch_config.h"
#include "pe_models/acc_value.h"
#include "pe_models/fp_arith.h"
#include "pe_models/number_format.h"
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <climits>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <limits>
#include <sstream>
#include <unistd.h>

using namespace tpe::test;

namespace {
const std::string kSrc = TPE_SOURCE_DIR;

std::string tmpdir(const std::string& tag) {
  return scratch_dir("gemm", tag);
}
void write(const std::string& path, const std::string& text) {
  write_text(path, text);
}
std::vector<std::string> csv_lines(const std::string& out) {
  return lines_without(out, "gemm:");
}
const std::string kOs4 = kSrc + "/configs/systolic_4x4_os.yaml";
} // namespace

TEST_CASE("tpe gemm: int8 C exact against a hand-computed product") {
  const std::string d = tmpdir("int8");
  // A = [1 2 3; -4 5 -6], B = [7 -8; 9 10; -11 12]:
  // C = [1*7+2*9-3*11, -8+20+36; -28+45+66, 32+50-72] = [-8 48; 83 10]
  write(d + "/a.csv", "1, 2, 3\n-4, 5, -6\n");
  write(d + "/b.csv", "# B is K x N\n7, -8\n9, 10\n-11, 12\n");
  CmdResult r = run_tpe("gemm --arch " + kOs4 + " --a " + d + "/a.csv --b " + d + "/b.csv");
  REQUIRE(r.status == 0);
  std::vector<std::string> l = csv_lines(r.out);
  REQUIRE(l.size() == 5);
  CHECK(l[0] == "row,col,word,value,reference,error");
  CHECK(l[1] == "0,0,0xfffffff8,-8,-8,0");
  CHECK(l[2] == "0,1,0x00000030,48,48,0");
  CHECK(l[3] == "1,0,0x00000053,83,83,0");
  CHECK(l[4] == "1,1,0x0000000a,10,10,0");
  CHECK(r.out.find("gemm: sa4x4_os (systolic 4x4 os, int8, accumulate int 32 bits): 2x3x2 in ") !=
        std::string::npos);
  CHECK(r.out.find("max abs error 0, mean relative error 0 (4 nonzero references), SQNR inf dB") !=
        std::string::npos);

  // Real inputs: round to nearest, ties to even (2.5 -> 2, -0.5 -> 0, 3.5 -> 4), then
  // saturate (300 -> 127, -1000 -> -128): A = [2 127 0], B = [4; -128; 7]
  write(d + "/a.csv", "2.5, 300, -0.5\n");
  write(d + "/b.csv", "3.5\n-1000\n7\n");
  r = run_tpe("gemm --arch " + kOs4 + " --a " + d + "/a.csv --b " + d + "/b.csv");
  REQUIRE(r.status == 0);
  l = csv_lines(r.out);
  REQUIRE(l.size() == 2);
  // C = 2*4 + 127*(-128) + 0*7 = -16248; reference 2.5*3.5 - 300000 - 3.5 = -299994.75
  CHECK(l[1] == "0,0,0xffffc088,-16248,-299994.75,283746.75");
  CHECK(r.out.find("max abs error 283746.75, mean relative error 0.945") != std::string::npos);
}

TEST_CASE("tpe gemm: every engine gives the same integer C, modulo 2^acc_bits") {
  const std::string d = tmpdir("engines");
  // 5x7x3: odd against every array and group size below
  write(d + "/a.csv", "1,-2,3,-4,5,-6,7\n127,-128,0,1,-1,2,-2\n-7,8,9,10,-11,12,13\n"
                      "0,0,0,0,0,0,1\n-128,-128,-128,-128,-128,-128,-128\n");
  write(d + "/b.csv", "2,0,-1\n-3,4,5\n6,-7,8\n9,10,-11\n-12,13,127\n1,1,1\n-128,64,-32\n");
  const CmdResult os = run_tpe("gemm --arch " + kOs4 + " --a " + d + "/a.csv --b " + d +
                               "/b.csv --out " + d + "/os.csv");
  REQUIRE(os.status == 0);
  // C[4][0] = -128 * (2 - 3 + 6 + 9 - 12 + 1 - 128) = -128 * -125 = 16000
  CHECK(csv_lines(slurp(d + "/os.csv"))[13] == "4,0,0x00003e80,16000,16000,0");
  for (const char* arch :
       {"systolic_4x4_ws.yaml", "systolic_4x4_is.yaml", "cube_4x4x4.yaml", "matrix2d_4x4.yaml",
        "adder_tree_8x16_ent.yaml", "pe/col1x32_os_bitserial.yaml", "pe/sa4x4_ws_booth.yaml"}) {
    INFO(arch);
    const CmdResult r = run_tpe("gemm --arch " + kSrc + "/configs/" + arch + " --a " + d +
                                "/a.csv --b " + d + "/b.csv --out " + d + "/c.csv");
    REQUIRE(r.status == 0);
    CHECK(slurp(d + "/c.csv") == slurp(d + "/os.csv"));
  }
  // a 16-bit accumulator wraps: 3 x 127 x 127 = 48387 = -17149 modulo 2^16
  write(d + "/acc16.yaml", "name: acc16\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\n"
                           "pe: mac\nformat: int8\nacc_bits: 16\n");
  write(d + "/a.csv", "127,127,127\n");
  write(d + "/b.csv", "127\n127\n127\n");
  const CmdResult r =
      run_tpe("gemm --arch " + d + "/acc16.yaml --a " + d + "/a.csv --b " + d + "/b.csv");
  REQUIRE(r.status == 0);
  CHECK(csv_lines(r.out)[1] == "0,0,0xbd03,-17149,48387,-65536");
}

TEST_CASE("tpe gemm: --encoded takes codes in hex or decimal") {
  const std::string d = tmpdir("enc");
  // int8 codes: 0xff = -1, 255 = -1, -3 (the signed value), 0x7f = 127
  write(d + "/a.csv", "0xff, 255, -3, 0x7f\n");
  write(d + "/b.csv", "2\n0x03\n0x80\n1\n");
  CmdResult r =
      run_tpe("gemm --arch " + kOs4 + " --encoded --a " + d + "/a.csv --b " + d + "/b.csv");
  REQUIRE(r.status == 0);
  // -1*2 + -1*3 + -3*-128 + 127*1 = 506; the reference is of the decoded codes
  CHECK(csv_lines(r.out)[1] == "0,0,0x000001fa,506,506,0");
  write(d + "/a.csv", "1, 256, 0, 0\n");
  r = run_tpe("gemm --arch " + kOs4 + " --encoded --a " + d + "/a.csv --b " + d + "/b.csv");
  CHECK(r.status == 2);
  CHECK(r.out.find("a.csv:1: column 2: '256' is not a code of int8 (act: 0..0xff, or -128..-1)") !=
        std::string::npos);
  write(d + "/a.csv", "1, 1.5, 0, 0\n");
  r = run_tpe("gemm --arch " + kOs4 + " --encoded --a " + d + "/a.csv --b " + d + "/b.csv");
  CHECK(r.status == 2);
  CHECK(r.out.find("'1.5' is not a code of int8") != std::string::npos);
  write(d + "/a.csv", "1, -129, 0, 0\n");
  r = run_tpe("gemm --arch " + kOs4 + " --encoded --a " + d + "/a.csv --b " + d + "/b.csv");
  CHECK(r.status == 2);
  CHECK(r.out.find("'-129' is not a code of int8") != std::string::npos);
}

TEST_CASE("tpe gemm: --rtl runs the Verilated RTL on the same operands") {
  const std::string d = tmpdir("rtl");
  write(d + "/os2.yaml", "name: sa2x2_os\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\n"
                         "pe: mac\nformat: int8\nacc_bits: 32\n");
  // 3x5 x 5x3 on a 2x2 array: two passes in each dimension, the last one partial
  write(d + "/a.csv", "1,-2,3,-4,5\n127,-128,0,1,-1\n-7,8,9,10,-11\n");
  write(d + "/b.csv", "2,0,-1\n-3,4,5\n6,-7,8\n9,10,-11\n-12,13,127\n");
  CmdResult r = run_tpe("gemm --arch " + d + "/os2.yaml --rtl --a " + d + "/a.csv --b " + d +
                        "/b.csv --out " + d + "/c.csv");
  INFO(r.out);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("RTL bit- and cycle-exact with the model") != std::string::npos);
  const std::vector<std::string> l = csv_lines(slurp(d + "/c.csv"));
  REQUIRE(l.size() == 10);
  // C[1][2] = 127*-1 + -128*5 + 0 + 1*-11 + -1*127 = -905
  CHECK(l[6] == "1,2,0xfffffc77,-905,-905,0");
}

TEST_CASE("tpe gemm: bad input is one line, exit status 2") {
  const std::string d = tmpdir("err");
  write(d + "/a.csv", "1, 2, 3\n4, 5, 6\n");
  write(d + "/b.csv", "1, 2\n3, 4\n");
  CmdResult r = run_tpe("gemm --arch " + kOs4 + " --a " + d + "/a.csv --b " + d + "/b.csv");
  CHECK(r.status == 2);
  CHECK(r.out.find("b.csv: B has 2 rows but A (" + d + "/a.csv) has 3 columns") !=
        std::string::npos);
  write(d + "/b.csv", "1, 2\n3\n5, 6\n");
  r = run_tpe("gemm --arch " + kOs4 + " --a " + d + "/a.csv --b " + d + "/b.csv");
  CHECK(r.status == 2);
  CHECK(r.out.find("b.csv:2: 1 cells, but line 1 has 2") != std::string::npos);
  write(d + "/b.csv", "1, 2\n3, x\n5, 6\n");
  r = run_tpe("gemm --arch " + kOs4 + " --a " + d + "/a.csv --b " + d + "/b.csv");
  CHECK(r.status == 2);
  CHECK(r.out.find("b.csv:2: column 2: 'x' is not a number") != std::string::npos);
  write(d + "/b.csv", "1, 2\n3, nan\n5, 6\n");
  r = run_tpe("gemm --arch " + kOs4 + " --a " + d + "/a.csv --b " + d + "/b.csv");
  CHECK(r.status == 2);
  CHECK(r.out.find("b.csv:2: column 2: NaN cannot be represented in int8") != std::string::npos);
  // 4097 x 64 x 65 = 17043520 multiply-adds > 2^24
  std::string big;
  for (int i = 0; i < 4097; ++i) {
    for (int k = 0; k < 64; ++k)
      big += k ? ",0" : "0";
    big += "\n";
  }
  write(d + "/big.csv", big);
  std::string b65;
  for (int k = 0; k < 64; ++k) {
    for (int j = 0; j < 65; ++j)
      b65 += j ? ",1" : "1";
    b65 += "\n";
  }
  write(d + "/b65.csv", b65);
  r = run_tpe("gemm --arch " + kOs4 + " --a " + d + "/big.csv --b " + d + "/b65.csv");
  CHECK(r.status == 2);
  CHECK(r.out.find("4097x64x65 is 17043520 multiply-adds, more than tpe gemm's limit of 2^24") !=
        std::string::npos);
  r = run_tpe("gemm --arch " + kOs4 + " --a " + d + "/a.csv");
  CHECK(r.status == 2);
}

TEST_CASE("tpe gemm: --out is written atomically") {
  const std::string d = tmpdir("out");
  write(d + "/a.csv", "1, 2\n");
  write(d + "/b.csv", "3\n4\n");
  CmdResult r = run_tpe("gemm --arch " + kOs4 + " --a " + d + "/a.csv --b " + d + "/b.csv --out " +
                        d + "/sub/c.csv");
  REQUIRE(r.status == 0);
  CHECK(slurp(d + "/sub/c.csv") == "row,col,word,value,reference,error\n0,0,0x0000000b,11,11,0\n");
  CHECK(csv_lines(r.out).empty()); // nothing but the summary on the terminal
  for (const auto& e : std::filesystem::directory_iterator(d + "/sub"))
    CHECK(e.path().filename() == "c.csv"); // no temporary file left
  // an output that is a directory is refused before the run
  r = run_tpe("gemm --arch " + kOs4 + " --a " + d + "/a.csv --b " + d + "/b.csv --out " + d);
  CHECK(r.status == 2);
  CHECK(r.out.find("gemm:") == std::string::npos);
}

TEST_CASE("accumulator words: the value per accumulator") {
  tpe::ArchConfig a;
  a.accumulate = "int";
  a.acc_bits = 32;
  CHECK(tpe::accumulator_value(a, -5) == -5);
  CHECK(tpe::accumulator_value_text(a, -5) == "-5");
  CHECK(tpe::accumulator_word_hex(a, -5) == "0xfffffffb");
  a.acc_bits = 64;
  const int64_t lowest = std::numeric_limits<int64_t>::min();
  CHECK(tpe::accumulator_value_text(a, lowest) == "-9223372036854775808"); // exact at 64 bits
  CHECK(tpe::accumulator_word_hex(a, lowest) == "0x8000000000000000");
  // IEEE accumulators: the A-bit code sign-extended into the word (FORMATS_CONTRACT.md 2)
  a.accumulate = "fp16";
  a.acc_bits = 16;
  CHECK(tpe::accumulator_value(a, 0x3c00) == 1.0);
  CHECK(tpe::accumulator_value(a, int64_t(0xc000) - 0x10000) == -2.0);
  CHECK(tpe::accumulator_word_hex(a, int64_t(0xc000) - 0x10000) == "0xc000");
  CHECK(tpe::accumulator_value(a, 0x0001) == std::ldexp(1.0, -24)); // subnormal
  CHECK(tpe::accumulator_value_text(a, int64_t(0xfc00) - 0x10000) == "-inf");
  a.accumulate = "bf16";
  CHECK(tpe::accumulator_value_text(a, 0x7fc0) == "nan");
  CHECK(tpe::accumulator_value(a, 0x3f81) == 1.0078125);
  a.accumulate = "fp32";
  a.acc_bits = 32;
  CHECK(tpe::accumulator_value_text(a, int64_t(INT32_MIN)) == "-0");
  CHECK(tpe::accumulator_value(a, 0x3fc00000) == 1.5);
  // fixed: {nan, pos_inf, neg_inf, value[W-1:0]}, A = W + 3, LSB = the smallest LSB of
  // an exact product (fp8_e4m3 x fp8_e4m3: 2^-9 x 2^-9, as fp_arith.h product_range)
  a.accumulate = "fixed";
  a.format = "fp8_e4m3";
  const int W = 40;
  a.acc_bits = W + 3;
  int lsb_min = 0, top_max = 0;
  const tpe::FpLayout e4m3{4, 3, 7, tpe::FpLayout::Specials::NanAllOnes, "fp8_e4m3"};
  tpe::product_range(e4m3, e4m3, lsb_min, top_max);
  CHECK(tpe::fixed_acc_lsb(a) == lsb_min);
  CHECK(lsb_min == -18);
  const int64_t minus5 = (int64_t(1) << W) - 5; // -5 in W bits, flags clear
  CHECK(tpe::accumulator_value(a, minus5) == -5 * std::ldexp(1.0, -18));
  CHECK(tpe::accumulator_value(a, 3) == 3 * std::ldexp(1.0, -18));
  CHECK(tpe::accumulator_value_text(a, (int64_t(1) << (W + 1)) | 7) == "inf");
  CHECK(tpe::accumulator_value_text(a, int64_t(1) << W) == "-inf");
  CHECK(tpe::accumulator_value_text(a, int64_t(3) << W) == "nan"); // both Infs
  // the nan flag is the word's sign bit: sign-extended
  CHECK(tpe::accumulator_value_text(a, -(int64_t(1) << (W + 2))) == "nan");
  a.accumulate = "float99";
  CHECK_THROWS_AS(tpe::accumulator_value(a, 0), std::invalid_argument);
}

// Hidden until the model takes float formats (issue 13, wt-model): C of an FP8 E4M3
// GEMM with an fp32 accumulator on an os array is the chain acc = RNE(acc + a*b), k
// ascending, from +0 (docs/formats-engines.md), reproduced here with the operators;
// the same GEMM with the exact `fixed` accumulator equals the float64 sum of the
// decoded codes (which is exact here), which checks the accumulator word's decode.
namespace {
const std::vector<double> kA = {1.0625, -3, 448, 0.001953125, 7};
const std::vector<double> kB = {2.5, -0.75, 448, -448, 1e-3};
std::string fp8_arch(const std::string& dir, const std::string& acc) {
  const std::string p = dir + "/fp8_" + acc + ".yaml";
  write(p, "name: fp8_os\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\npe: mac\n"
           "format: fp8_e4m3\naccumulate: " +
               acc + "\n");
  write(dir + "/a.csv", "1.0625, -3, 448, 0.001953125, 7\n");
  write(dir + "/b.csv", "2.5\n-0.75\n448\n-448\n1e-3\n");
  return p;
}
} // namespace

TEST_CASE("tpe gemm: fp8_e4m3 with an fp32 accumulator, reproduced by hand", "[formats]") {
  const std::string d = tmpdir("fp8");
  const std::string arch = fp8_arch(d, "fp32");
  CmdResult r = run_tpe("gemm --arch " + arch + " --a " + d + "/a.csv --b " + d + "/b.csv");
  INFO(r.out);
  REQUIRE(r.status == 0);
  const tpe::NumberFormat& f = tpe::lookup_number_format("fp8_e4m3");
  uint64_t acc = 0;
  for (size_t k = 0; k < kA.size(); ++k)
    acc = tpe::fp_accumulate(
        tpe::fp32_layout(), acc,
        tpe::exact_product(f.decode(f.encode(kA[k])), f.decode(f.encode(kB[k]))));
  const std::vector<std::string> l = csv_lines(r.out);
  REQUIRE(l.size() == 2);
  CHECK(l[1].rfind(fmt::format("0,0,0x{:08x},", acc), 0) == 0);
  r = run_tpe("gemm --arch " + arch + " --rtl --a " + d + "/a.csv --b " + d + "/b.csv");
  CHECK(r.status == 0);
  CHECK(r.out.find("RTL bit- and cycle-exact with the model") != std::string::npos);
}

TEST_CASE("tpe gemm: fp8_e4m3 with the fixed accumulator is exact", "[formats]") {
  const std::string d = tmpdir("fixed");
  const std::string arch = fp8_arch(d, "fixed");
  // the codes of kA and kB, so that the reference is the sum of the decoded codes
  const tpe::NumberFormat& f = tpe::lookup_number_format("fp8_e4m3");
  std::string a, b;
  for (size_t k = 0; k < kA.size(); ++k) {
    a += (k ? "," : "") + fmt::format("0x{:02x}", f.encode(kA[k]));
    b += fmt::format("0x{:02x}\n", f.encode(kB[k]));
  }
  write(d + "/a.csv", a + "\n");
  write(d + "/b.csv", b);
  CmdResult r =
      run_tpe("gemm --arch " + arch + " --encoded --a " + d + "/a.csv --b " + d + "/b.csv");
  INFO(r.out);
  REQUIRE(r.status == 0);
  const std::vector<std::string> l = csv_lines(r.out);
  REQUIRE(l.size() == 2);
  CHECK(l[1].substr(l[1].rfind(',')) == ",0"); // error 0: the value is the exact sum
  CHECK(r.out.find("SQNR inf dB") != std::string::npos);
}

namespace {
std::string block_arch(const std::string& d, const std::string& fmt) {
  const std::string p = d + "/blk.yaml";
  write(p, "name: blk\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\nformat: " + fmt + "\n");
  return p;
}
} // namespace

TEST_CASE("tpe gemm: block-scaled formats quantize A by rows and B by columns", "[formats]") {
  const std::string d = tmpdir("block");
  // MXFP8 E4M3, K = 33 (a full block of 32, then one element): A row 0 = 1,2,3,4,1,..
  // (block amax 4: scale 2^-6, elements 64..256, exact), row 1 = 2 x row 0; B column
  // 0 = 0.5,1.5,0.5,.. (scale 2^-8, exact), column 1 = 1.5 x column 0: every
  // quantized value is the input, C is exact in fp32, error 0.
  std::string a0, a1, b;
  double c00 = 0;
  for (int k = 0; k < 33; ++k) {
    const double x = k % 4 + 1, y = k % 2 + 0.5;
    a0 += (k ? "," : "") + fmt::format("{}", x);
    a1 += (k ? "," : "") + fmt::format("{}", 2 * x);
    b += fmt::format("{},{}\n", y, 1.5 * y);
    c00 += x * y;
  }
  write(d + "/a.csv", a0 + "\n" + a1 + "\n");
  write(d + "/b.csv", b);
  CmdResult r = run_tpe("gemm --arch " + block_arch(d, "mxfp8_e4m3") + " --a " + d + "/a.csv --b " +
                        d + "/b.csv");
  INFO(r.out);
  REQUIRE(r.status == 0);
  std::vector<std::string> l = csv_lines(r.out);
  REQUIRE(l.size() == 5);
  CHECK(l[1] == fmt::format("0,0,0x{:08x},{},{},0", 0x42b10000u, c00, c00)); // 88.5
  CHECK(c00 == 88.5);
  CHECK(r.out.find("SQNR inf dB") != std::string::npos);
  CHECK(r.out.find("mxfp8_e4m3, accumulate fp32 32 bits): 2x33x2") != std::string::npos);
  // NVFP4: values times the tensor decode scales (binary64 epilogue) within fp32
  // rounding of the exact dequantized sum 1 x 1 + 2 x 0.5 + 3 x 1.5 + 6 x 6 = 42.5
  write(d + "/a4.csv", "1,2,3,6\n");
  write(d + "/b4.csv", "1\n0.5\n1.5\n6\n");
  r = run_tpe("gemm --arch " + block_arch(d, "nvfp4") + " --rtl --a " + d + "/a4.csv --b " + d +
              "/b4.csv");
  REQUIRE(r.status == 0);
  l = csv_lines(r.out);
  REQUIRE(l.size() == 2);
  const std::vector<std::string> cells = [&] {
    std::vector<std::string> v;
    std::stringstream s(l[1]);
    for (std::string c; std::getline(s, c, ',');)
      v.push_back(c);
    return v;
  }();
  REQUIRE(cells.size() == 6);
  CHECK(std::fabs(std::stod(cells[3]) - 42.5) < 42.5 * 1e-6);
  CHECK(r.out.find("RTL bit- and cycle-exact with the model") != std::string::npos);
  // refusals, one line each: --encoded with a block format; nf4 on the engines
  r = run_tpe("gemm --arch " + block_arch(d, "mxfp4") + " --encoded --a " + d + "/a4.csv --b " + d +
              "/b4.csv");
  CHECK(r.status == 2);
  CHECK(r.out ==
        "tpe: error: --encoded: block-scaled formats (mxfp4) take real numbers only: a cell "
        "holds one code, not its block's scale (tpe quantize shows both)\n");
  r = run_tpe("gemm --arch " + block_arch(d, "nf4") + " --a " + d + "/a4.csv --b " + d + "/b4.csv");
  CHECK(r.status == 2);
  CHECK(r.out.find("format: nf4 is a weight storage format dequantized by table lookup") !=
        std::string::npos);
}
