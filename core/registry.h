// A name -> entry registry. Implementations register themselves from their own
// file with a static Registrar, so adding an engine, PE or format never touches a
// central list; tests iterate names() so a forgotten registration fails a test.
#pragma once
#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace tpe {

template <typename Entry> class Registry {
public:
  static Registry& instance() {
    static Registry r;
    return r;
  }
  void add(const std::string& name, Entry e) { entries_[name] = std::move(e); }
  const Entry* find(const std::string& name) const {
    auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : &it->second;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> v;
    for (auto& kv : entries_)
      v.push_back(kv.first);
    return v;
  }
  std::string joined_names() const {
    std::string s;
    for (auto& kv : entries_)
      s += (s.empty() ? "" : ", ") + kv.first;
    return s;
  }

private:
  std::map<std::string, Entry> entries_;
};

template <typename Entry> struct Registrar {
  Registrar(const std::string& name, Entry e) {
    Registry<Entry>::instance().add(name, std::move(e));
  }
};

} // namespace tpe
