// Rule sets over a store's life: the history a store keeps, the running set rebuilt from it
// on reopening, and installing a new set on a live engine (docs/engine.md, "Installing
// rules"). Cases keep the terms of the version they were accepted under; organisation and
// staff changes reach open cases by id; a stage at a removed post goes to the 办不成事 window.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "engine/case_codec.hpp"
#include "engine/engine_core.hpp"
#include "rules/rule_fields.hpp"
#include "rules/rule_merge.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {
namespace {

std::string short_version(std::string_view v) { return std::string(v.substr(0, 12)); }

// A stored set, loaded and checked against the version recorded beside it (the events name
// that version in the hash chain, so a file edited in the store shows here).
RuleSet load_stored(const StoredRuleSet& s, std::size_t position) {
  const std::string origin = fmt::format("<stored rule set {}>", position);
  try {
    RuleSet r = RuleSet::from_files(s.files, origin);
    if (r.version() != s.version) {
      throw Error(ErrorCode::store_error,
                  fmt::format("stored rule set {} is damaged: its files hash to {}, not to the "
                              "recorded version {}",
                              position, short_version(r.version()), short_version(s.version)));
    }
    return r;
  } catch (const Error& e) {
    if (e.code() == ErrorCode::store_error) throw;
    throw Error(ErrorCode::store_error,
                fmt::format("stored rule set {} (version {}) does not load: {}", position,
                            short_version(s.version), e.what()));
  }
}

std::string list_ids(const std::vector<CaseId>& ids) {
  std::string out;
  for (std::size_t i = 0; i < ids.size() && i < 5; ++i) {
    out += fmt::format("{}{}", i ? ", " : "", ids[i]);
  }
  if (ids.size() > 5) out += fmt::format(" and {} more", ids.size() - 5);
  return out;
}

}  // namespace

std::string summarize_changes(const std::vector<RuleChange>& changes) {
  std::map<std::pair<RuleEntity, ChangeKind>, int> counts;
  for (const RuleChange& c : changes) ++counts[{c.entity, c.change}];
  std::string out;
  for (const auto& [key, n] : counts) {
    out += fmt::format("{}{} {} {}", out.empty() ? "" : ", ", n, to_string(key.first),
                       to_string(key.second));
  }
  return out.empty() ? "no entry differs" : out;
}

void EngineCore::open_rule_history(RuleSet given) {
  const std::vector<StoredRuleSet> stored = store_->rule_sets();
  const DateTime now = clock_->now();
  if (stored.empty()) {
    // A fresh store, or one written before stores kept rule sets (schema 2): its cases ran
    // under the one set its engine state names, recorded with the first commit.
    const std::string state = store_->engine_state();
    if (!state.empty()) {
      const EngineState saved = decode_engine_state(state);
      if (saved.rules_version != given.version()) {
        throw Error(ErrorCode::store_error,
                    fmt::format("the store's cases were recorded under rule set {}, which the "
                                "store does not hold (it was written before stores kept their "
                                "rule sets), but the engine was given rule set {}; open it once "
                                "with the rule set its cases were recorded under, which records "
                                "that set in the store, then install the new one",
                                short_version(saved.rules_version), short_version(given.version())));
      }
    }
    versions_ = {given.version()};
    installed_ = {InstalledRules{given.version(), now, options_.system_actor}};
    if (!store_->read_only()) {
      const auto files = given.files();
      pending_rules_ = StoredRuleSet{given.version(), {files.begin(), files.end()}, now,
                                     options_.system_actor};
    }
    return;
  }
  std::optional<RuleSet> running, last;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    RuleSet r = load_stored(stored[i], i + 1);
    running = running ? merge_rules(*running, r) : r;
    versions_.push_back(stored[i].version);
    installed_.push_back({stored[i].version, stored[i].installed_at, stored[i].installed_by});
    last = std::move(r);
  }
  rules_ = std::move(*running);
  current_ = *last;
  if (given.version() == current_.version()) return;
  if (!options_.install_rules) {
    throw Error(ErrorCode::store_error,
                fmt::format("the store runs rule set {} (installed {} by {}), but the engine was "
                            "given rule set {} ({}); to install it, open the engine with "
                            "Options::install_rules = true and Options::rules_installer set to "
                            "the staff id installing it, or run `workflow rules install --db DB "
                            "RULES_DIR --actor STAFF` (see what it would change first with "
                            "`workflow rules plan --db DB RULES_DIR`)",
                            short_version(current_.version()),
                            installed_.back().installed_at.to_string(),
                            installed_.back().installed_by, short_version(given.version()),
                            summarize_changes(diff_rules(current_, given))));
  }
  install_on_open_ = std::move(given);
}

void EngineCore::finish_rule_history() {
  if (!install_on_open_) return;
  RuleSet next = std::move(*install_on_open_);
  install_on_open_.reset();
  install_rules(next, options_.rules_installer);
}

InstallPlan EngineCore::plan_install(const RuleSet& next, std::string_view actor) const {
  InstallPlan plan;
  plan.from_version = current_.version();
  plan.to_version = next.version();
  plan.changes = diff_rules(current_, next);
  if (actor.empty()) {
    plan.problems.push_back("no installer named: an install is recorded with the staff id of "
                            "who installs it");
  } else if (!next.find_staff(actor) && !current_.find_staff(actor)) {
    plan.problems.push_back(fmt::format(
        "unknown installer '{}': not a staff member of the installed or the new rule set", actor));
  }
  if (next.version() == current_.version()) {
    plan.problems.push_back(
        fmt::format("rule set {} is already the installed one", short_version(next.version())));
  }
  const bool same_hall = std::any_of(current_.offices().begin(), current_.offices().end(),
                                     [&](const Office& o) { return next.find_office(o.id); });
  if (!same_hall) {
    plan.problems.push_back(
        "the new rule set has none of the installed set's offices: it is another hall's rules");
  }
  for (const Matter& m : next.matters()) {
    if (m.materials.size() > 64 || m.stages.size() > 32) {
      plan.problems.push_back(fmt::format("matter {} has {} materials and {} stages; the engine "
                                          "supports at most 64 and 32", m.code,
                                          m.materials.size(), m.stages.size()));
    }
  }
  std::map<std::string, std::vector<CaseId>> lost_offices;
  std::map<std::string, std::vector<CaseId>> unplaced;  // posts with no fallback
  for (const CaseRecord& c : cases_) {
    if (is_concluded(c.life.phase)) continue;
    ++plan.open_cases;
    const Matter& m = rules_.matter(c.matter);
    const auto now_matter = next.find_matter(m.code);
    if (!now_matter || fields_of(rules_, m) != fields_of(next, next.matter(*now_matter))) {
      plan.keep_old_terms.push_back(c.id);
    }
    for (const OfficeRef o : {c.office, c.accepting_office, c.issue_office}) {
      const std::string& id = rules_.office(o).id;
      if (!next.find_office(id)) {
        auto& ids = lost_offices[id];
        if (ids.empty() || ids.back() != c.id) ids.push_back(c.id);
      }
    }
    const Post& p = rules_.post(c.post);
    if (!next.find_post(p.id)) {
      const auto office = next.find_office(rules_.office(p.office).id);
      const auto window = office ? unresolved_window(next, *office) : std::nullopt;
      if (window) {
        plan.reroutes.push_back({c.id, p.id, next.post(*window).id,
                                 fmt::format("post {} is removed: its stage goes to the 办不成事 "
                                             "window", p.id)});
      } else {
        unplaced[p.id].push_back(c.id);
      }
    }
  }
  for (const auto& [id, r] : ratings_) {
    if (r.task && r.state != RectificationState::closed &&
        !next.find_department(rules_.department(r.unit).id)) {
      plan.problems.push_back(fmt::format(
          "department {} is removed but owes the rectification of the bad rating of case {}",
          rules_.department(r.unit).id, id));
    }
  }
  for (const auto& [office, ids] : lost_offices) {
    plan.problems.push_back(fmt::format("office {} is removed but {} open case{} still run{} "
                                        "there (case {})", office, ids.size(),
                                        ids.size() == 1 ? "" : "s", ids.size() == 1 ? "s" : "",
                                        list_ids(ids)));
  }
  for (const auto& [post, ids] : unplaced) {
    plan.problems.push_back(fmt::format("post {} is removed and no 办不成事 window of its office "
                                        "or above can take its {} open case{} (case {})", post,
                                        ids.size(), ids.size() == 1 ? "" : "s", list_ids(ids)));
  }
  for (std::uint32_t i = 0; i < roster_.size(); ++i) {
    const Staff& s = rules_.staff(StaffRef{i});
    if (roster_.absence(StaffRef{i}).set && !retired(rules_, StaffRef{i}) &&
        !next.find_staff(s.id)) {
      plan.absences_dropped.push_back(s.id);
    }
  }
  return plan;
}

InstallPlan EngineCore::install_rules(const RuleSet& next, std::string_view actor) {
  InstallPlan plan = plan_install(next, actor);
  if (!plan.ok()) {
    std::string why;
    for (const std::string& p : plan.problems) why += "\n  " + p;
    throw Error(ErrorCode::invalid_argument,
                fmt::format("cannot install rule set {}: {} problem{}:{}",
                            short_version(next.version()), plan.problems.size(),
                            plan.problems.size() == 1 ? "" : "s", why));
  }
  // A store that has had no commit yet holds no rule set: the one the engine opened with
  // goes out with the first commit. Written by the install's own commit it would be lost
  // (a commit carries one set), and the store would name the new set alone under cases
  // whose references count the old one's entities first: a reopened engine could not read
  // them. So the opening set is stored first, in a commit of its own.
  if (pending_rules_) unit([&] { roster_dirty_ = true; });
  const DateTime at = clock_->now();
  RuleSet merged = merge_rules(rules_, next);
  // Saved whole: a failed commit puts the engine back as it was.
  RuleSet old_rules = rules_, old_current = current_;
  const auto old_versions = versions_;
  const auto old_installed = installed_;
  const Roster old_roster = roster_;
  const auto old_generation = absence_generation_;
  const auto old_index = index_;
  try {
    unit([&] {
      rules_ = std::move(merged);
      current_ = next;
      versions_.push_back(next.version());
      installed_.push_back({next.version(), at, std::string(actor)});
      roster_.resize(rules_.staff().size());
      absence_generation_.resize(rules_.staff().size(), 0);
      for (std::uint32_t i = 0; i < roster_.size(); ++i) {
        if (retired(rules_, StaffRef{i}) && roster_.absence(StaffRef{i}).set) {
          roster_.clear(StaffRef{i});
          ++absence_generation_[i];  // its pending timers are stale
        }
      }
      roster_dirty_ = true;  // the engine state names the new version
      index_rules();
      const auto installer = next.find_staff(actor);
      Event& e = pending_.emplace_back();
      e.case_id = 0;
      e.seq = static_cast<std::uint32_t>(versions_.size());
      e.kind = EventKind::rules_installed;
      e.time = at;
      e.actor = std::string(actor);
      e.office = installer ? rules_.office(rules_.staff(*installer).office).id : std::string();
      e.reason = fmt::format("rule set {} installed over {}: {}", short_version(next.version()),
                             short_version(plan.from_version), summarize_changes(plan.changes));
      e.detail = fmt::format("version={}; previous={}; open_cases={}; rerouted={}",
                             next.version(), plan.from_version, plan.open_cases,
                             plan.reroutes.size());
      e.rules_version = next.version();
      for (CaseRecord& c : cases_) {
        if (!is_concluded(c.life.phase)) reconcile_after_install(c, at, actor);
      }
      const auto files = next.files();
      pending_rules_ = StoredRuleSet{next.version(), {files.begin(), files.end()}, at,
                                     std::string(actor)};
    });
  } catch (...) {
    rules_ = std::move(old_rules);
    current_ = std::move(old_current);
    versions_ = old_versions;
    installed_ = old_installed;
    roster_ = old_roster;
    absence_generation_ = old_generation;
    index_ = old_index;
    pending_rules_.reset();
    throw;
  }
  return plan;
}

// An open case after an install, by stable ids: a removed post's stage goes to the 办不成事
// window; a post whose holders changed is acted on by its current A (or B while A is away).
void EngineCore::reconcile_after_install(CaseRecord& c, DateTime at, std::string_view actor) {
  const std::string version = short_version(current_.version());
  if (c.agent_post != kNone && retired(rules_, PostRef{c.agent_post})) {
    touch(c).agent_post = kNone;  // nobody follows it for the agent any more
  }
  if (retired(rules_, c.intake_post) && !windows_of(c.accepting_office).empty()) {
    touch(c).intake_post = window_for(c.accepting_office, c.id);
  }
  if (retired(rules_, c.post)) {
    const Post& gone = rules_.post(c.post);
    const std::optional<PostRef> window = unresolved_window(rules_, gone.office);
    // plan_install refused the install if there is none.
    const std::string why = fmt::format("post {} was removed by rule set {}", gone.id, version);
    emit(c, EventKind::rerouted, at, std::string(actor), c.post, why,
         fmt::format("from_post={}; to_post={}; rules={}", gone.id, rules_.post(*window).id,
                     current_.version()));
    route_to(c, *window, at, why);
    c.holding = Holding::unresolved;  // there for coordination, like a case no post can take
    return;
  }
  // A stage waiting for its post while A and B were both away (at the 办不成事 window, or
  // with its away A where no window is above): under the new holders one of them may be at
  // work, and the absences' ends would never bring it back (they look for the old holders'
  // returns); and where both still are away, the stage waits with the new A, not the old.
  if (c.home_post != kNone && !retired(rules_, PostRef{c.home_post})) {
    const PostRef home{c.home_post};
    const Post& h = rules_.post(home);
    const Post& at_post = rules_.post(c.post);
    const bool someone_back = !roster_.is_away(h.a, at) || !roster_.is_away(h.b, at);
    if (someone_back || (c.holder != at_post.a && c.holder != at_post.b)) {
      const std::string why = fmt::format("post {} under rule set {}: {}", h.id, version,
                                          someone_back ? "a holder is at work"
                                                       : "its holders changed");
      const Assignment to = assign(rules_, roster_, home, at);
      emit(c, EventKind::rerouted, at, std::string(actor), c.post, why,
           fmt::format("from_post={}; to_post={}; from={}; to={}; rules={}", at_post.id,
                       rules_.post(to.post).id, rules_.staff(c.holder).id,
                       rules_.staff(to.holder).id, current_.version()));
      route_to(c, home, at, why);
    }
    return;
  }
  const Post& p = rules_.post(c.post);
  const bool still_holds = c.holder == p.a || c.holder == p.b ||
                           (c.holding == Holding::unresolved);
  if (still_holds && c.office == p.office) return;
  const std::string why =
      fmt::format("{} no longer holds post {} under rule set {}", rules_.staff(c.holder).id, p.id,
                  version);
  const Assignment to = assign(rules_, roster_, c.post, at);
  emit(c, EventKind::rerouted, at, std::string(actor), c.post, why,
       fmt::format("from_post={}; to_post={}; from={}; to={}; rules={}", p.id,
                   rules_.post(to.post).id, rules_.staff(c.holder).id,
                   rules_.staff(to.holder).id, current_.version()));
  c.post = to.post;
  c.office = to.office;
  c.holder = to.holder;
  c.holding = to.holding;
  note_holder(c);
}

std::vector<InstalledRules> EngineCore::installed_rules() const { return installed_; }

std::string EngineCore::case_rules_version(const CaseRecord& c) const {
  return c.rules_version < versions_.size() ? versions_[c.rules_version] : std::string();
}

}  // namespace workflow::detail
