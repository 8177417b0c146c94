// The readable table, the JSON lines, and a small JSON syntax checker for the smoke test.
#include "report.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>

#include <fmt/format.h>

namespace bench {
namespace {

std::string num(double v) {
  if (!std::isfinite(v)) return "null";
  return fmt::format("{:.6g}", v);
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<int>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string body(const Result& r) {
  std::string j = "{";
  auto field = [&](const std::string& key, const std::string& value) {
    if (j.size() > 1) j += ",";
    j += quoted(key) + ":" + value;
  };
  field("workload", quoted(r.workload));
  if (!r.variant.empty()) field("variant", quoted(r.variant));
  field("seconds", num(r.seconds));
  field("cpu_seconds", r.cpu_seconds ? num(*r.cpu_seconds) : "null");
  field("cases", std::to_string(r.cases));
  field("commands", std::to_string(r.commands));
  field("events", std::to_string(r.events));
  field("transitions", std::to_string(r.transitions));
  field("cases_per_s", num(r.rate(r.cases)));
  field("commands_per_s", num(r.rate(r.commands)));
  field("events_per_s", num(r.rate(r.events)));
  field("transitions_per_s", num(r.rate(r.transitions)));
  field("transitions_per_cpu_s", r.cpu_seconds ? num(r.cpu_rate(r.transitions)) : "null");
  field("latency_ns", fmt::format("{{\"p50\":{},\"p99\":{},\"max\":{},\"mean\":{},\"samples\":{}}}",
                                  r.latency.p50_ns, r.latency.p99_ns, r.latency.max_ns,
                                  num(r.latency.mean_ns), r.latency.count));
  field("peak_rss_bytes", std::to_string(r.peak_rss));
  field("bytes_per_open_case", r.bytes_per_open_case ? num(*r.bytes_per_open_case) : "null");
  field("baseline", quoted(r.baseline));
  field("baseline_unit", quoted(r.baseline_unit));
  field("baseline_value", r.baseline_value ? num(*r.baseline_value) : "null");
  field("baseline_ratio", r.baseline_ratio ? num(*r.baseline_ratio) : "null");
  if (!r.extra.empty()) {
    std::string e = "{";
    for (const auto& [k, v] : r.extra) {
      if (e.size() > 1) e += ',';
      e += quoted(k);
      e += ':';
      e += num(v);
    }
    field("extra", e + "}");
  }
  if (!r.runs.empty()) {
    std::string runs = "[";
    for (const Result& s : r.runs) {
      if (runs.size() > 1) runs += ',';
      runs += body(s);
    }
    field("runs", runs + "]");
  }
  return j + "}";
}

std::string si(double v) {
  if (!std::isfinite(v)) return "-";
  if (v >= 1e9) return fmt::format("{:.2f}G", v / 1e9);
  if (v >= 1e6) return fmt::format("{:.2f}M", v / 1e6);
  if (v >= 1e4) return fmt::format("{:.1f}k", v / 1e3);
  return fmt::format("{:.0f}", v);
}

std::string us(std::uint64_t ns) { return fmt::format("{:.1f}", static_cast<double>(ns) / 1e3); }

void row(const Result& r, bool nested) {
  // A nested run shows its own extra figures after the ratio (they are few).
  std::string tail;
  if (nested)
    for (const auto& [k, v] : r.extra) tail += fmt::format("  {}={}", k, num(v));
  const std::string name = nested ? "  " + r.variant : r.workload + (r.variant.empty() ? "" : " " + r.variant);
  std::printf("%-46s %9s %9s %9s %9s %9s %8s %8s %9s %8s %9s  %s%s\n", name.c_str(),
              si(r.rate(r.cases)).c_str(), si(r.rate(r.commands)).c_str(),
              si(r.rate(r.events)).c_str(), si(r.rate(r.transitions)).c_str(),
              r.cpu_seconds ? si(r.cpu_rate(r.transitions)).c_str() : "-",
              r.latency.count ? us(r.latency.p50_ns).c_str() : "-",
              r.latency.count ? us(r.latency.p99_ns).c_str() : "-",
              r.latency.count ? us(r.latency.max_ns).c_str() : "-",
              r.peak_rss ? fmt::format("{:.0f}", static_cast<double>(r.peak_rss) / 1048576.0).c_str() : "-",
              r.bytes_per_open_case ? fmt::format("{:.0f}", *r.bytes_per_open_case).c_str() : "-",
              r.baseline_ratio ? fmt::format("{:.4g} vs {}", *r.baseline_ratio, r.baseline).c_str()
                               : "",
              tail.c_str());
}

}  // namespace

void print_table_header() {
  std::printf("%-46s %9s %9s %9s %9s %9s %8s %8s %9s %8s %9s  %s\n", "workload", "cases/s", "cmds/s",
              "events/s", "trans/s", "trans/cpu", "p50 us", "p99 us", "max us", "RSS MB", "B/case",
              "ratio to baseline");
}

void print_table_rows(const Result& r) {
  row(r, false);
  for (const Result& s : r.runs) row(s, true);
  for (const auto& [k, v] : r.extra) std::printf("%-46s %s\n", ("  · " + k).c_str(), num(v).c_str());
  std::fflush(stdout);
}

std::string json_line(const Result& r) { return body(r); }

}  // namespace bench
