// Exact counts. Every count tpe reports (cycles, useful MACs, MACs the PEs perform
// with padding, SRAM words, elements and bytes, DRAM bytes) and every sum of them
// over layers is a Count: a signed 128-bit integer, computed with the checked
// operations below, which throw CountOverflow instead of wrapping.
//
// Limits (core/workload.h, core/arch_config.h): GEMM dimensions 1..2^31-1, at most
// 2^62 useful MACs per layer, arrays of at most 256 x 256 (x 256) multipliers. Then
// a layer's largest count (SRAM bytes of the padded work: < 2^32 x 2^32 x 2^32 x
// 2^8 x 8 bytes) is below 2^107, so no layer count overflows and sums over up to
// 2^20 layers cannot either; beyond, the checked sums refuse the workload.
// Counts that exceed 2^63 - 1 (padded PE work and SRAM traffic of extreme shapes)
// are printed exactly: fmt formats __int128, and JSON reports take them through
// count_json() and dump_json() (a JSON number may have any number of digits).
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace tpe {

__extension__ typedef __int128 Count;

constexpr Count kCountMax = static_cast<Count>(~static_cast<unsigned __int128>(0) >> 1);

// An arithmetic result that does not fit its type; callers that know the layer or
// the file turn it into an InputError naming it.
class CountOverflow : public std::overflow_error {
public:
  explicit CountOverflow(const std::string& what) : std::overflow_error(what) {}
};

// a + b, a * b, exact (CountOverflow names `what` when the result does not fit).
Count count_add(Count a, Count b, const char* what);
Count count_mul(Count a, Count b, const char* what);
// The product of the factors, exact.
Count count_product(std::initializer_list<Count> factors, const char* what);
// ceil(a / b) for a >= 0, b > 0.
Count count_ceil_div(Count a, Count b);
// x as int64_t (CountOverflow when x is outside int64_t).
int64_t count_to_int64(Count x, const char* what);
// a * b in int64_t, exact (CountOverflow when it does not fit).
int64_t mul_int64(int64_t a, int64_t b, const char* what);

std::string count_str(Count x); // decimal
inline double count_double(Count x) {
  return static_cast<double>(x);
}

// A count for a JSON report: a JSON integer when it fits int64_t, else a
// placeholder string that dump_json() writes as the exact decimal number.
nlohmann::json count_json(Count x);
// j.dump(indent) with every count_json() placeholder replaced by its digits.
std::string dump_json(const nlohmann::json& j, int indent);

} // namespace tpe
