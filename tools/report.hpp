// The supervision report (电子监察): figures computed from a case store through the Engine,
// printed as text or JSON (report.cpp) or rendered as one self-contained HTML page with inline
// SVG charts (report_html.cpp). The keys are documented in docs/cli.md.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "workflow/engine.hpp"

namespace workflow::cli {

// One case the supervisor should look at: late (or nearly), worst first.
struct FlaggedCase {
  CaseId id = 0;
  std::string matter;       // code
  std::string matter_name;
  std::string office;       // handling office
  std::string state;
  std::string light;        // the light now (frozen at the decision)
  std::string worst_light;  // the worst light it ever had
  std::string promised_deadline;
  int days_over = 0;        // working days past the promised deadline (decision date or as-of)
};

// Per matter: working days used (acceptance → decision) against the promise.
struct MatterTiming {
  std::string code;
  std::string name;
  std::string kind;
  int promised_limit = 0;
  int decided = 0;
  int on_time = 0;
  double mean_days_used = 0;
  int max_days_used = 0;
};

struct Figures {
  std::string as_of;          // the latest event time in the store
  std::string rules_version;  // first 12 hex digits
  int cases = 0;
  std::map<std::string, int> by_kind, by_state, by_office;  // office: accepting office
  int accepted = 0;           // cases accepted (clock started)
  int decided = 0;
  int decided_on_time = 0;
  double on_time_rate = 0;      // decided_on_time / decided (0 when none decided)
  int instant = 0;
  double instant_share = 0;     // instant / cases
  int first_time_right = 0;     // accepted without any notice of missing materials
  double first_time_right_rate = 0;  // 一次办好: first_time_right / accepted
  int notices = 0;              // cases given the one complete notice
  int tolerated = 0;            // 容缺 acceptances
  int suspended = 0;            // cases with a §45 suspension
  int terminated = 0;
  // Cases that ever showed each light (light_changed events), and the lights shown now.
  std::map<std::string, int> ever_light;  // yellow, red, escalated_red
  std::map<std::string, int> light_now;   // none, green, yellow, red, escalated_red
  std::vector<FlaggedCase> worst;         // up to 10
  std::vector<MatterTiming> timing;       // committed/escalated/joint matters with decisions
  std::map<std::string, int> handoffs_by_post;
  int handoffs = 0;
  std::map<std::string, int> delegated_by_township;  // accepting township → cases
  std::map<std::string, int> delegated_by_mode;
  int delegation_lapsed = 0;  // township cases sent back up because no delegation was in force
  int escalated = 0;          // cases reported up (上报)
  int unresolved = 0;         // cases sent to a 办不成事 window (routed_unresolved)
  int unresolved_now = 0;     // still held there
  std::map<std::string, int> unresolved_by_office;
};

// Reads every case (engine.list(), then engine.get(id) for its history).
Figures compute_figures(const Engine& engine);

std::string report_text(const Figures& f);
std::string report_json(const Figures& f);
// `office_names` maps office ids to names for the page's labels.
std::string report_html(const Figures& f, const std::map<std::string, std::string>& office_names);

}  // namespace workflow::cli
