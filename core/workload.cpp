// Workload CSV parser. Algorithm: one pass over the text (linear time, no
// per-line streams): split lines, trim (which strips '\r'), skip blank and '#'
// lines; the first remaining line is the header and chooses the form; each data
// row is split on commas, trailing empty fields dropped, each field trimmed and
// parsed as a positive integer with its column named in any error.
#include "core/workload.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/text.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>

namespace tpe {

namespace {

bool space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::string_view trim_view(std::string_view s) {
  while (!s.empty() && space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && space(s.back()))
    s.remove_suffix(1);
  return s;
}

// Fields split on commas and trimmed, trailing empty ones dropped; `f` is reused
// from row to row so a row allocates nothing beyond long fields.
void split_row(std::string_view line, std::vector<std::string>& f) {
  f.clear();
  for (;;) {
    const size_t c = line.find(',');
    f.emplace_back(trim_view(line.substr(0, c)));
    if (c == std::string_view::npos) break;
    line.remove_prefix(c + 1);
  }
  while (!f.empty() && f.back().empty())
    f.pop_back();
}

const std::vector<std::string> kGemmCols = {"layer name", "m", "n", "k"};
const std::vector<std::string> kConvCols = {"layer name",    "ifmap height", "ifmap width",
                                            "filter height", "filter width", "channels",
                                            "num filter",    "strides"};

int64_t field_int(const std::string& file, int line, const std::string& col, const std::string& s) {
  int64_t v = 0;
  if (!parse_int64(s, v))
    throw InputError(file, line, col, "expected a positive integer, got '" + s + "'");
  if (v < 1 || v > kMaxDim)
    throw InputError(file, line, col, "value " + s + " out of range 1.." + std::to_string(kMaxDim));
  return v;
}

// Layer names reach JSON reports and the terminal: valid UTF-8, no control
// characters, at most kMaxLayerName bytes (README "Workload format").
void check_layer_name(const std::string& file, int line, const std::string& name) {
  if (name.size() > kMaxLayerName)
    throw InputError(file, line, "Layer name",
                     "longer than " + std::to_string(kMaxLayerName) + " bytes");
  if (!valid_utf8(name)) throw InputError(file, line, "Layer name", "is not valid UTF-8");
  if (has_control(name))
    throw InputError(file, line, "Layer name",
                     "contains a control character ('" + printable(name) + "')");
}

void check_macs(const std::string& file, int line, const Layer& l) {
  const Count p = Count(l.M) * l.N * l.K; // each below 2^31: exact
  if (p > kMaxMacs)
    throw InputError(file, line, "M*N*K",
                     "layer '" + l.name + "' has " + count_str(p) +
                         " MACs, more than the limit 2^62");
}

// An im2col dimension, the exact product of the factors (each below 2^31),
// refused above kMaxDim.
int64_t im2col_dim(const std::string& file, int line, const std::string& col, Count a, Count b,
                   Count c) {
  const Count p = a * b * c;
  if (p > kMaxDim)
    throw InputError(file, line, col,
                     count_str(p) + " exceeds the limit " + std::to_string(kMaxDim) +
                         " of a GEMM dimension");
  return static_cast<int64_t>(p);
}

} // namespace

Workload parse_workload_text(const std::string& text, const std::string& source) {
  Workload w;
  w.source = source;
  // one pass over the text; the layer vector is sized once (a data row has at
  // least 8 bytes), so memory stays proportional to the file
  const size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  w.layers.reserve(std::min(lines, text.size() / 8 + 1));
  int lineno = 0;
  enum { None, Gemm, Conv } form = None;
  std::vector<std::string> f;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string_view t = trim_view(std::string_view(text).substr(pos, end - pos));
    pos = end + 1;
    ++lineno;
    if (t.empty() || t[0] == '#') continue;
    split_row(t, f);
    if (form == None) {
      std::vector<std::string> h;
      for (auto& x : f)
        h.push_back(lower(x));
      if (h == kGemmCols)
        form = Gemm;
      else if (h == kConvCols)
        form = Conv;
      else
        throw InputError(source, lineno, "header",
                         "expected 'Layer name, M, N, K,' or the SCALE-Sim convolution columns "
                         "'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                         "Channels, Num Filter, Strides,'");
      continue;
    }
    const auto& cols = form == Gemm ? kGemmCols : kConvCols;
    if (f.size() != cols.size())
      throw InputError(source, lineno, "row",
                       "expected " + std::to_string(cols.size()) + " fields, found " +
                           std::to_string(f.size()));
    Layer l;
    l.name = f[0];
    l.line = lineno;
    if (l.name.empty()) throw InputError(source, lineno, "Layer name", "must not be empty");
    check_layer_name(source, lineno, l.name);
    if (form == Gemm) {
      l.M = field_int(source, lineno, "M", f[1]);
      l.N = field_int(source, lineno, "N", f[2]);
      l.K = field_int(source, lineno, "K", f[3]);
    } else {
      ConvShape c;
      c.ifmap_h = field_int(source, lineno, "IFMAP Height", f[1]);
      c.ifmap_w = field_int(source, lineno, "IFMAP Width", f[2]);
      c.filt_h = field_int(source, lineno, "Filter Height", f[3]);
      c.filt_w = field_int(source, lineno, "Filter Width", f[4]);
      c.channels = field_int(source, lineno, "Channels", f[5]);
      c.filters = field_int(source, lineno, "Num Filter", f[6]);
      c.stride = field_int(source, lineno, "Strides", f[7]);
      if (c.filt_h > c.ifmap_h)
        throw InputError(source, lineno, "Filter Height", "filter is taller than the IFMAP");
      if (c.filt_w > c.ifmap_w)
        throw InputError(source, lineno, "Filter Width", "filter is wider than the IFMAP");
      l.is_conv = true;
      l.conv = c;
      l.M = im2col_dim(source, lineno, "im2col M = ofmap height * ofmap width", c.ofmap_h(),
                       c.ofmap_w(), 1);
      l.N = c.filters;
      l.K = im2col_dim(source, lineno, "im2col K = Filter Height * Filter Width * Channels",
                       c.filt_h, c.filt_w, c.channels);
    }
    check_macs(source, lineno, l);
    w.layers.push_back(l);
  }
  if (form == None)
    throw InputError(source, lineno > 0 ? lineno : 1, "header", "the workload file is empty");
  if (w.layers.empty())
    throw InputError(source, lineno, "", "the workload has a header but no layers");
  return w;
}

Workload parse_workload_file(const std::string& path) {
  return parse_workload_text(read_file(path, "the workload file"), path);
}

Layer parse_gemm_spec(const std::string& spec) {
  std::vector<std::string> p;
  std::string cur;
  for (char c : spec) {
    if (c == 'x' || c == 'X') {
      p.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  p.push_back(cur);
  if (p.size() != 3)
    throw InputError("--gemm", 0, "", "expected MxKxN (for example 37x29x53), got '" + spec + "'");
  Layer l;
  l.name = "gemm_" + spec;
  l.M = field_int("--gemm", 0, "M", p[0]);
  l.K = field_int("--gemm", 0, "K", p[1]);
  l.N = field_int("--gemm", 0, "N", p[2]);
  check_macs("--gemm", 0, l);
  return l;
}

Layer random_gemm(Rng& rng, int64_t max_dim, const std::string& name) {
  Layer l;
  l.name = name;
  l.M = rng.uniform(1, max_dim);
  l.K = rng.uniform(1, max_dim);
  l.N = rng.uniform(1, max_dim);
  return l;
}

} // namespace tpe
