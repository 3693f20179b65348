// A matrix of real numbers from a CSV file, as users write it by hand for
// `tpe quantize` (and GEMM operands): one number per cell (decimal, hexadecimal
// floating point such as 0x1.8p3, nan, inf, as strtod reads them), cells separated
// by commas, white space around a cell ignored, rows of equal length; blank lines
// and lines starting with '#' are skipped, a UTF-8 byte-order mark and CR line ends
// are accepted. Errors are one InputError "FILE:LINE: problem": an empty cell, a
// cell that is not a number ("column C: 'abc' is not a number"), a number outside
// binary64 ('1e999'), a row with another number of cells than the first, more than
// kMaxMatrixCells cells, no number at all.
#pragma once
#include <string>
#include <vector>

namespace tpe {

// The most cells a matrix file may hold (2^24).
constexpr size_t kMaxMatrixCells = size_t(1) << 24;

struct RealMatrix {
  std::vector<std::vector<double>> rows; // rows[i][j]; all rows of one length
  std::vector<int> line_of_row;          // file line of each row (1-based)
};

RealMatrix parse_real_matrix_text(const std::string& text, const std::string& file);
// read_file (core/atomic_file.h) then parse; `what` names the file in errors.
RealMatrix read_real_matrix(const std::string& path, const std::string& what = "the input file");

} // namespace tpe
