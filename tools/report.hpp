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

// 差评整改: the task a bad rating opened, as it stands.
struct RectificationTask {
  CaseId id = 0;
  std::string matter, matter_name;
  int score = 0;
  std::string channel;
  bool named = false;
  std::string department;  // the unit that handled the case and owns the task
  std::string state;       // verifying, resolving, calling_back, called_back, closed
  std::string resolution;  // rectify, explain, appeal ("" until resolved)
  std::string opened, due, closed;  // ISO dates; closed "" while open
  std::string light;       // green, yellow, red (frozen when closed)
  bool called_back = false;
  bool on_time = false;    // closed on or before the due day
};

// 好差评 (ratings) and the rectification of bad ones.
struct RatingFigures {
  int rated = 0;
  std::map<std::string, int> by_score;    // "1".."5", every score present
  std::map<std::string, int> by_channel;  // window_device, online, phone
  int bad = 0;                            // scores 1-2
  int bad_named = 0;                      // of them, named (实名): must be called back
  int tasks_opened = 0, tasks_closed = 0, tasks_open = 0;
  int closed_on_time = 0;                 // closed on or before the due day
  double on_time_rate = 0;                // closed_on_time / tasks_closed
  int open_overdue = 0;                   // open tasks past their due day (light red)
  std::map<std::string, int> by_resolution;  // rectify, explain, appeal
  std::map<std::string, int> by_department;  // tasks opened per unit
  int named_called_back = 0;
  double call_back_rate = 0;              // named_called_back / bad_named (target 1)
  int named_pending = 0;                  // named, not called back yet, task still open
  int anonymous_closed_without_call_back = 0;
  std::vector<RectificationTask> tasks;   // every task, by case id
};

// A part of a bundle that was denied, refused or terminated.
struct DeniedPart {
  BundleId bundle = 0;
  CaseId id = 0;
  std::string matter, matter_name, state;
};

// 一件事一次办: bundles measured against their own promise.
struct BundleFigures {
  int count = 0;
  std::map<std::string, int> by_rule;        // bundle rule id → bundles
  std::map<std::string, int> promised_limit; // bundle rule id → its promise (working days)
  int accepted = 0;    // every part accepted (the bundle's clock started)
  int notified = 0;    // given the one complete notice (一次性告知) for the bundle
  int done = 0;        // every part concluded
  int on_time = 0;     // done on or before the bundle's promised deadline
  double on_time_rate = 0;  // on_time / done
  int open = 0;        // not done
  std::map<int, int> days_used;  // done bundles: working days from acceptance to the last part
  std::map<std::string, int> light_now;
  int with_denied = 0;  // bundles with a denied, refused or terminated part
  std::vector<DeniedPart> denied;
};

// 跨域通办 at one office.
struct OfficeCrossRegion {
  int accepted_for_others = 0;  // accepted at this office's windows, handled by another
  int handled_for_others = 0;   // handled here, accepted at another office
  int issued_here = 0;          // results of cross-region cases issued at this office
};

struct CrossRegionFigures {
  int cases = 0;
  int issue_elsewhere = 0;  // the applicant asked for the result away from the accepting office
  int third_office = 0;     // ... at an office that neither accepted nor handled it
  int issued = 0;
  std::map<std::string, int> by_matter;
  std::map<std::string, OfficeCrossRegion> by_office;
};

// 帮办代办 at one village agent post.
struct AgentPostFigures {
  std::string station;     // the village station (office id)
  int cases = 0;           // cases handed in under this post
  int notices = 0;         // events whose news went to the post's holder (Event::notify)
  int notices_to_b = 0;    // of them, to the post's B holder (A was away)
  int followed_by_b = 0;   // cases with at least one notice to B
};

struct ProxyFigures {
  int cases = 0, notices = 0, notices_to_b = 0, followed_by_b = 0;
  std::map<std::string, AgentPostFigures> by_post;
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
  // Open cases whose deadlines reach into a provisional calendar year (next year's notice not
  // out), and cases whose deadlines were recomputed when an official year arrived.
  int provisional_now = 0;
  int deadlines_recomputed = 0;
  RatingFigures ratings;
  BundleFigures bundles;
  CrossRegionFigures cross_region;
  ProxyFigures proxy;
};

// Reads every case (engine.list(), then engine.get(id) for its history).
Figures compute_figures(const Engine& engine);

std::string report_text(const Figures& f);
// The ratings, bundles, cross-region and proxy sections (report_services_print.cpp).
std::string services_text(const Figures& f);
std::string services_json(const Figures& f);  // "  key: value,\n" lines of report_json
std::string report_json(const Figures& f);
// `office_names` maps office ids to names for the page's labels.
std::string report_html(const Figures& f, const std::map<std::string, std::string>& office_names);
std::string services_html(const Figures& f, const std::map<std::string, std::string>& office_names);

}  // namespace workflow::cli
