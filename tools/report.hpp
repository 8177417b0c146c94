// The supervision report (电子监察): the library's figures (workflow/supervision.hpp) of a
// case store, printed as text or JSON (report.cpp) or rendered as one self-contained HTML page
// with inline SVG charts (report_html.cpp). The keys are documented in docs/cli.md.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "workflow/engine.hpp"
#include "workflow/supervision.hpp"

namespace workflow::cli {

// The figures are the library's (workflow/supervision.hpp): the tool only prints them.
using Figures = SupervisionFigures;

std::string report_text(const Figures& f);
// The ratings, bundles, cross-region and proxy sections (report_services_print.cpp).
std::string services_text(const Figures& f);
std::string services_json(const Figures& f);  // "  key: value,\n" lines of report_json
std::string report_json(const Figures& f);
// The hall-operations sections (report_operations.cpp): channels and the seeds' rates.
std::string operations_text(const Figures& f);
std::string operations_json(const Figures& f);  // "  key: value\n" of report_json
std::string operations_html(const Figures& f);
// The 办不成事反映窗口 section (report_unresolved.cpp): sent, settled, on time, open.
std::string unresolved_path_text(const Figures& f);
std::string unresolved_path_json(const Figures& f);  // one "  key: value" line, no comma
// `office_names` maps office ids to names for the page's labels.
// The names the pages show for ids (zh-CN labels from the rule set): offices, departments,
// posts, matters.
struct Names {
  std::map<std::string, std::string> offices, departments, posts, matters;
  std::string office(const std::string& id) const;  // the office's or department's name, or the id
  std::string post(const std::string& id) const;    // the post's name (with its office's if shared)
};
Names names_of(const RuleSet& rules);
// `generated`: when the page was made, shown in the header.
std::string report_html(const Figures& f, const Names& names, const std::string& generated);
std::string services_html(const Figures& f, const Names& names);
std::string unresolved_path_html(const Figures& f, const Names& names);
// The oversight sections (report_orders.cpp): 督办 and 改派.
std::string oversight_text(const Figures& f);
std::string oversight_json(const Figures& f);  // the last "  key: value\n" of report_json
std::string oversight_html(const Figures& f, const Names& names);
// zh-CN names of the canonical strings the pages show.
std::string zh_light(const std::string& light);
// The per-unit ranking as text lines.
std::string ranking_text(const Figures& f);

}  // namespace workflow::cli
