// Small text helpers shared by the parsers.
#pragma once
#include <cstdint>
#include <string>

namespace tpe {

std::string trim(const std::string& s);               // strip leading and trailing white space
std::string lower(std::string s);                     // ASCII lower case
bool parse_int64(const std::string& s, int64_t& out); // whole string, base 10

} // namespace tpe
