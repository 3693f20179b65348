// `tpe quantize` as a user runs it: the CSV it writes (codes, block scales, exact
// values) for element-wise and block formats, the options of the open choices, the
// summary line, atomic --out, and one error line with exit status 2 for bad input.
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace tpe::test;

namespace {
std::string tmpdir(const std::string& tag) {
  return scratch_dir("quant", tag);
}
void write(const std::string& path, const std::string& text) {
  write_text(path, text);
}
std::vector<std::string> csv_lines(const std::string& out) {
  return lines_without(out, "quantize:");
}
} // namespace

TEST_CASE("tpe quantize: element-wise formats, exact values and the summary") {
  const std::string d = tmpdir("elem");
  write(d + "/a.csv", "# comment\n464, 465, -0.0\n\n1.0625, 0x1.8p3, -3e-3\n");
  CmdResult r = run_tpe("quantize --format fp8_e4m3 " + d + "/a.csv");
  REQUIRE(r.status == 0);
  std::vector<std::string> l = csv_lines(r.out);
  REQUIRE(l.size() == 7);
  CHECK(l[0] == "row,col,input,code,value");
  CHECK(l[1] == "0,0,464,0x7e,448");
  CHECK(l[2] == "0,1,465,0x7f,nan"); // non-saturating cast, as ml_dtypes
  CHECK(l[3] == "0,2,-0,0x80,-0");
  CHECK(l[4] == "1,0,1.0625,0x38,1"); // a tie: to even
  CHECK(l[5] == "1,1,12,0x54,12");
  CHECK(r.out.find("quantize: fp8_e4m3: 2x3 elements; max abs error 16") != std::string::npos);
  CHECK(r.out.find("(1 NaN/Inf elements excluded)") != std::string::npos);
  r = run_tpe("quantize --format fp8_e4m3 --saturate " + d + "/a.csv");
  REQUIRE(r.status == 0);
  CHECK(csv_lines(r.out)[2] == "0,1,465,0x7e,448");
  r = run_tpe("quantize --format hif8 " + d + "/a.csv");
  REQUIRE(r.status == 0);
  CHECK(csv_lines(r.out)[4] == "1,0,1.0625,0x09,1.125"); // ties away by default
  r = run_tpe("quantize --format hif8 --rounding even " + d + "/a.csv");
  CHECK(csv_lines(r.out)[4] == "1,0,1.0625,0x08,1");
  r = run_tpe("quantize --format int4 " + d + "/a.csv");
  REQUIRE(r.status == 0);
  CHECK(csv_lines(r.out)[1] == "0,0,464,0x7,7");
  CHECK(csv_lines(r.out)[5] == "1,1,12,0x7,7");
}

TEST_CASE("tpe quantize: block formats give scale codes and scales per block along a row") {
  const std::string d = tmpdir("block");
  // 2 rows of 34: MX blocks of 32 + 2; row 0 has 400 (E4M3 tie), row 1 960
  std::string row0 = "400", row1 = "960";
  for (int i = 1; i < 34; ++i)
    row0 += ", 1", row1 += i == 33 ? ", 0.5" : ", 0";
  write(d + "/m.csv", row0 + "\n" + row1 + "\n");
  CmdResult r = run_tpe("quantize --format mxfp8_e4m3 " + d + "/m.csv --out " + d + "/o.csv");
  REQUIRE(r.status == 0);
  std::vector<std::string> l = csv_lines(slurp(d + "/o.csv"));
  REQUIRE(l.size() == 1 + 68);
  CHECK(l[0] == "row,col,input,code,scale_code,scale,value");
  CHECK(l[1] == "0,0,400,0x7c,0x7f,1,384");        // RNE
  CHECK(l[33] == "0,32,1,0x78,0x77,0.00390625,1"); // second block: scale 2^(0-8)
  CHECK(l[35] == "1,0,960,0x7e,0x80,2,896");       // floor rule: 480 saturates to 448
  CHECK(r.out.find("blocks of 32 along each row (e8m0 scales)") != std::string::npos);
  r = run_tpe("quantize --format mxfp8_e4m3 --rounding away --mx-scale up " + d + "/m.csv");
  REQUIRE(r.status == 0);
  l = csv_lines(r.out);
  CHECK(l[1] == "0,0,400,0x7d,0x7f,1,416");  // ties away (microxcaling)
  CHECK(l[35] == "1,0,960,0x77,0x81,4,960"); // round-up rule: 960/4 = 240
  r = run_tpe("quantize --format nvfp4 --tensor-amax 2688 " + d + "/m.csv");
  REQUIRE(r.status == 0);
  l = csv_lines(r.out);
  CHECK(l[0] == "row,col,input,code,scale_code,scale,tensor_scale,value");
  // S_enc = 1; scale e4m3(400 / 6) = 64; element 400 / 64 = 6.25 saturates to 6
  CHECK(l[1] == "0,0,400,0x7,0x68,64,1,384");
  CHECK(r.out.find("tensor amax 2688 (S_dec 1)") != std::string::npos);
  r = run_tpe("quantize --format nf4 " + d + "/m.csv");
  REQUIRE(r.status == 0);
  CHECK(csv_lines(r.out)[1] == "0,0,400,0xf,0x43c80000,400,400");
}

TEST_CASE("tpe quantize: bad input is one error line and exit status 2") {
  const std::string d = tmpdir("bad");
  const auto err = [&](const std::string& text, const std::string& args) {
    write(d + "/x.csv", text);
    return run_tpe("quantize " + args + " " + d + "/x.csv");
  };
  CmdResult r = err("1, 2\n3, abc\n", "--format int8");
  CHECK(r.status == 2);
  CHECK(r.out == "tpe: error: " + d + "/x.csv:2: column 2: 'abc' is not a number\n");
  r = err("1, 2\n\n3\n", "--format int8");
  CHECK(r.status == 2);
  CHECK(r.out == "tpe: error: " + d + "/x.csv:3: 1 cells, but line 1 has 2\n");
  r = err("", "--format int8");
  CHECK(r.status == 2);
  CHECK(r.out == "tpe: error: " + d + "/x.csv:1: the file holds no numbers\n");
  r = err("1, nan\n", "--format int8");
  CHECK(r.status == 2);
  CHECK(r.out == "tpe: error: " + d + "/x.csv:1: column 2: NaN cannot be represented in int8\n");
  r = err("inf\n", "--format nvfp4");
  CHECK(r.status == 2);
  CHECK(r.out == "tpe: error: " + d + "/x.csv:1: column 1: inf cannot be represented in nvfp4\n");
  r = err("1e999\n", "--format fp16");
  CHECK(r.status == 2);
  CHECK(r.out.find("x.csv:1: column 1: '1e999' is outside the binary64 range") !=
        std::string::npos);
  r = err("1,,2\n", "--format fp16");
  CHECK(r.status == 2);
  CHECK(r.out.find("x.csv:1: column 2: empty cell") != std::string::npos);
  // NaN and Inf are fine where the format holds them (an MX block becomes NaN)
  r = err("nan, inf\n", "--format mxfp4");
  CHECK(r.status == 0);
  CHECK(csv_lines(r.out)[1] == "0,0,nan,0x0,0xff,nan,nan");
  r = err("-inf\n", "--format fp16");
  CHECK(r.status == 0);
  CHECK(csv_lines(r.out)[1] == "0,0,-inf,0xfc00,-inf");
  // options that do not apply to the format are refused, not ignored
  r = err("1\n", "--format fp8_e4m3 --mx-scale up");
  CHECK(r.status == 2);
  CHECK(r.out == "tpe: error: quantize: --mx-scale: fp8_e4m3 is not an MX format\n");
  r = err("1\n", "--format mxfp4 --tensor-amax 3");
  CHECK(r.status == 2);
  r = err("1\n", "--format nvfp4 --tensor-amax 0");
  CHECK(r.status == 2);
  r = err("1\n", "--format int8 --saturate");
  CHECK(r.status == 2);
  CHECK(r.out == "tpe: error: quantize: --saturate: int8 always saturates\n");
  r = err("1\n", "--format nf4 --rounding away");
  CHECK(r.status == 2);
  r = err("1\n", "--format fp8_e4m3 --rounding up");
  CHECK(r.status == 2);
  r = err("1\n", "--format fp7");
  CHECK(r.status == 2);
  CHECK(r.out.find("unknown format 'fp7'") != std::string::npos);
  r = run_tpe("quantize --format int8 " + d + "/missing.csv");
  CHECK(r.status == 2);
  CHECK(r.out == "tpe: error: " + d +
                     "/missing.csv: cannot open the input file: no such file or directory\n");
  // a failed run leaves an existing --out untouched
  write(d + "/keep.csv", "old\n");
  r = err("x\n", "--format int8 --out " + d + "/keep.csv");
  CHECK(r.status == 2);
  CHECK(slurp(d + "/keep.csv") == "old\n");
  std::filesystem::remove_all(d);
}
