// Verilator harness for unit (L0) tests of arithmetic blocks. The top module has
// clk, in0, in1 (64 bits each) and out0, out1 (64 bits). For each line "in0 in1"
// (hex) of the input file it applies the inputs, evaluates, writes "out0 out1"
// (hex) to the output file (the outputs before the edge: a combinational block's
// result, or a sequential block's state), then gives one rising clock edge.
#include "Vtop.h"
#include "verilated.h"
#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s VECTORS OUT\n", argv[0]);
    return 2;
  }
  VerilatedContext ctx;
  Vtop top(&ctx);
  std::FILE* in = std::fopen(argv[1], "r");
  std::FILE* out = std::fopen(argv[2], "w");
  if (!in || !out) {
    std::fprintf(stderr, "cannot open %s or %s\n", argv[1], argv[2]);
    return 2;
  }
  top.clk = 0;
  top.in0 = 0;
  top.in1 = 0;
  top.eval();
  unsigned long long a = 0, b = 0;
  while (std::fscanf(in, "%llx %llx", &a, &b) == 2) {
    top.in0 = a;
    top.in1 = b;
    top.eval();
    std::fprintf(out, "%llx %llx\n", static_cast<unsigned long long>(top.out0),
                 static_cast<unsigned long long>(top.out1));
    top.clk = 1;
    top.eval();
    top.clk = 0;
    top.eval();
  }
  top.final();
  std::fclose(in);
  return std::fclose(out) == 0 ? 0 : 1;
}
