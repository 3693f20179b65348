// CSV matrices of real numbers (core/matrix_csv.h).
#include "core/matrix_csv.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/text.h"
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace tpe {

RealMatrix parse_real_matrix_text(const std::string& text, const std::string& file) {
  RealMatrix m;
  size_t cells = 0, pos = 0;
  int ln = 0, first_line = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++ln;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (ln == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line = line.substr(3);
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    std::vector<double> row;
    size_t p = 0;
    while (true) {
      const size_t e = t.find(',', p);
      const std::string cell =
          trim(t.substr(p, e == std::string::npos ? std::string::npos : e - p));
      const std::string where = "column " + std::to_string(row.size() + 1);
      if (cell.empty()) throw InputError(file, ln, "", where + ": empty cell (expected a number)");
      errno = 0;
      char* end = nullptr;
      const double v = std::strtod(cell.c_str(), &end);
      if (end != cell.c_str() + cell.size() || cell.find('\0') != std::string::npos)
        throw InputError(file, ln, "",
                         where + ": '" + printable(utf8_prefix(cell, 40)) + "' is not a number");
      if (std::isinf(v) && errno == ERANGE)
        throw InputError(file, ln, "",
                         where + ": '" + printable(utf8_prefix(cell, 40)) +
                             "' is outside the binary64 range");
      if (++cells > kMaxMatrixCells)
        throw InputError(file, ln, "",
                         "more than " + std::to_string(kMaxMatrixCells) + " cells in the file");
      row.push_back(v);
      if (e == std::string::npos) break;
      p = e + 1;
    }
    if (!m.rows.empty() && row.size() != m.rows[0].size())
      throw InputError(file, ln, "",
                       std::to_string(row.size()) + " cells, but line " +
                           std::to_string(first_line) + " has " + std::to_string(m.rows[0].size()));
    if (m.rows.empty()) first_line = ln;
    m.rows.push_back(std::move(row));
    m.line_of_row.push_back(ln);
  }
  if (m.rows.empty()) throw InputError(file, 1, "", "the file holds no numbers");
  return m;
}

RealMatrix read_real_matrix(const std::string& path, const std::string& what) {
  return parse_real_matrix_text(read_file(path, what), path);
}

} // namespace tpe
