// The status board (去向牌) and AB岗: when a holder goes away, the work they hold passes to
// the other holder of the post, or to the 办不成事 window when both are away.
#include <algorithm>

#include <fmt/format.h>

#include "engine/engine_core.hpp"
#include "engine/holder_lists.hpp"
#include "rules/rule_merge.hpp"
#include "support/sha256.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {
namespace {

// The fingerprint of a status-board command, for its request id.
std::string roster_fingerprint(std::string_view verb, std::string_view staff,
                               std::string_view detail) {
  return sha256_hex(fmt::format("{}\x1f{}\x1f{}", verb, staff, detail)).substr(0, 32);
}

}  // namespace

void EngineCore::check_board_recorder(StaffRef staff, std::string_view actor,
                                      std::string_view verb, DateTime now) const {
  const std::string& who = rules_.staff(staff).id;
  if (actor.empty()) {
    throw Error(ErrorCode::permission_denied,
                fmt::format("{} of {} needs who records it: {} themselves, the leader of their "
                            "unit or the duty officer", verb, who, who));
  }
  const StaffRef recorder = staff_ref(actor);
  if (recorder == staff) return;
  const auto posts = rules_.posts();
  for (std::uint32_t i = 0; i < posts.size(); ++i) {
    const Post& p = posts[i];
    if (retired(rules_, PostRef{i})) continue;
    // The leader of the unit: whoever holds now the supervisor post of a post they hold.
    if ((p.a == staff || p.b == staff) && p.supervisor && holds_now(recorder, *p.supervisor, now)) {
      return;
    }
    // The duty officer of the person's office or an office above it.
    if (p.keeps_status_board && holds_now(recorder, PostRef{i}, now)) {
      for (std::optional<OfficeRef> at = rules_.staff(staff).office; at;
           at = rules_.office(*at).parent) {
        if (*at == p.office) return;
      }
    }
  }
  throw Error(ErrorCode::permission_denied,
              fmt::format("staff {} may not record the {} of {}: only {} themselves, the leader "
                          "of their unit (who holds the supervisor post of their post) or the "
                          "duty officer of their office (a post with keeps_status_board) may",
                          actor, verb == "mark_away" ? "absence" : "return", who, who));
}

void EngineCore::mark_away(std::string_view staff, AbsenceKind kind, DateTime from,
                           DateTime until, std::string_view actor, std::string_view request_id) {
  const StaffRef s = staff_ref(staff);
  check_board_recorder(s, actor, "mark_away", clock_->now());
  const std::string print = roster_fingerprint(
      "mark_away", staff,
      fmt::format("{} {} {} {}", to_string(kind), from.to_string(), until.to_string(), actor));
  if (!request_id.empty() && replayed(std::string(request_id), print)) return;
  if (until <= from) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("absence of {} must end after it starts ({} .. {})", staff,
                            from.to_string(), until.to_string()));
  }
  // The roster is engine-wide state, not a case: keep the old entry to restore if the
  // commit is refused.
  const Roster::Absence before = roster_.absence(s);
  const DateTime now = clock_->now();
  roster_.set(s, Roster::Absence{kind, from, until, true});
  try {
    unit([&] {
      roster_dirty_ = true;
      if (!request_id.empty()) request_ = RequestRecord{std::string(request_id), print, 0};
      if (from <= now) begin_absence(s, now, actor);
    });
  } catch (...) {
    roster_.set(s, before);
    throw;
  }
  const std::uint32_t generation = ++absence_generation_[index_of(s)];
  if (from > now) {
    timers_.push(Timer{from, index_of(s), TimerKind::absence_start, generation, 0});
  }
  // When it ends, the posts the person holds take back what the 办不成事 window kept for them.
  timers_.push(Timer{until, index_of(s), TimerKind::absence_end, generation, 0});
}

void EngineCore::mark_back(std::string_view staff, std::string_view actor,
                           std::string_view request_id) {
  const StaffRef s = staff_ref(staff);
  check_board_recorder(s, actor, "mark_back", clock_->now());
  const std::string print = roster_fingerprint("mark_back", staff, actor);
  if (!request_id.empty() && replayed(std::string(request_id), print)) return;
  const Roster::Absence before = roster_.absence(s);
  roster_.clear(s);
  try {
    unit([&] {
      roster_dirty_ = true;
      if (!request_id.empty()) request_ = RequestRecord{std::string(request_id), print, 0};
      end_absence(s, clock_->now(),
                  actor.empty() ? std::string{} : fmt::format(", as recorded by {}", actor));
    });
  } catch (...) {
    roster_.set(s, before);
    throw;
  }
  ++absence_generation_[index_of(s)];  // a pending absence start or end no longer applies
}

void EngineCore::note_holder(const CaseRecord& c) {
  const std::size_t s = index_of(c.holder);
  if (s >= held_by_.size()) {
    held_by_.resize(s + 1);
    held_by_compacted_.resize(s + 1, 0);
  }
  std::vector<CaseId>& held = held_by_[s];
  // The case routed again to the same person with no other case in between (a step within
  // one command, or two in a row) is already listed: a second entry only grows the list
  // the next clean-up scans.
  if (!held.empty() && held.back() == c.id) return;
  held.push_back(c.id);
  if (held.size() > 2 * held_by_compacted_[s] + 64) {
    drop_stale_holds(held, cases_, touched_, c.holder);
    held_by_compacted_[s] = held.size();
  }
}

void EngineCore::note_away_from_home(const CaseRecord& c) {
  if (c.home_post == kNone) return;
  away_from_home_.push_back(c.id);
  if (away_from_home_.size() > 2 * away_from_home_compacted_ + 64) {
    drop_gone_home(away_from_home_, cases_, touched_);
    away_from_home_compacted_ = away_from_home_.size();
  }
}

std::vector<CaseId> EngineCore::held_by(StaffRef staff) {
  const std::size_t s = index_of(staff);
  if (s >= held_by_.size()) return {};
  drop_stale_holds(held_by_[s], cases_, touched_, staff);
  held_by_compacted_[s] = held_by_[s].size();
  // What they hold (not what a rollback might give back), in id order, once each (a case
  // routed to the person twice is listed twice).
  std::vector<CaseId> out;
  for (const CaseId id : held_by_[s]) {
    const CaseRecord& c = cases_[id - 1];
    if (c.holder == staff && !is_concluded(c.life.phase)) out.push_back(id);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void EngineCore::end_absence(StaffRef staff, DateTime at, std::string_view recorded_by) {
  if (roster_.is_away(staff, at)) return;
  // The cases the window holds for a home post, in id order, once each (the list, checked
  // against the records below as the scan of every case did).
  drop_gone_home(away_from_home_, cases_, touched_);
  away_from_home_compacted_ = away_from_home_.size();
  std::vector<CaseId> waiting = away_from_home_;
  std::sort(waiting.begin(), waiting.end());
  waiting.erase(std::unique(waiting.begin(), waiting.end()), waiting.end());
  for (const CaseId id : waiting) {
    CaseRecord& c = cases_[id - 1];
    if (c.home_post == kNone || is_concluded(c.life.phase)) continue;
    const PostRef home{c.home_post};
    const Post& p = rules_.post(home);
    if (retired(rules_, home)) continue;
    if (p.a != staff && p.b != staff) {
      // A clerk of the 办不成事 window back while the case waits there with the window's
      // other clerk, away (both were): the case goes to the one at work, still for its post.
      const Post& w = rules_.post(c.post);
      if (c.post != home && (w.a == staff || w.b == staff) && roster_.is_away(c.holder, at)) {
        route_to(c, home, at,
                 fmt::format("{} of the 办不成事 window {} is back{}; {} is away",
                             rules_.staff(staff).id, w.id, recorded_by,
                             rules_.staff(c.holder).id));
      }
      continue;
    }
    // 办不成事 only while nobody of the post can take it: back as soon as one is.
    const PostRef window = c.post;
    const OfficeRef before = c.office;
    // (A post with no 办不成事 window above kept the stage itself, with its away A.)
    const std::string why =
        window == home
            ? fmt::format("{} is back{}: post {} takes up its stage, left with its A while A "
                          "and B were both away (no 办不成事 window above it)",
                          rules_.staff(staff).id, recorded_by, p.id)
            : fmt::format("{} is back{}: post {} takes its stage back from the 办不成事 window {}",
                          rules_.staff(staff).id, recorded_by, p.id, rules_.post(window).id);
    route_to(c, home, at, why);
    if (c.office == before) {  // route_to names only a move between offices
      emit_system(c, EventKind::routed, at, why,
                  fmt::format("from={}; to={}; post={}; from_post={}", rules_.office(before).id,
                              rules_.office(c.office).id, p.id, rules_.post(window).id));
    }
  }
}

void EngineCore::begin_absence(StaffRef staff, DateTime at, std::string_view recorded_by) {
  const Roster::Absence& away = roster_.absence(staff);
  const std::string why = fmt::format(
      "{} is away ({}) until {}{}", rules_.staff(staff).id, to_string(away.kind),
      away.until.to_string(),
      recorded_by.empty() ? std::string{} : fmt::format(", as recorded by {}", recorded_by));
  for (const CaseId id : held_by(staff)) {
    CaseRecord& c = cases_[id - 1];
    const OfficeRef office = c.office;
    // From the stage's own post, which for a case the 办不成事 window holds is its home post,
    // not the window: routed from the window, a case whose window clerks were both away
    // forgot the post it waits for, and stayed at the window when the post's clerk was back.
    const PostRef from = c.home_post != kNone ? PostRef{c.home_post} : c.post;
    // Already where the roster sends it (flagged with its away holder because nobody else of
    // the post or of the 办不成事 window is at work; or an absence's start fired again on
    // reopening): nothing moves and nothing is recorded.
    if (!retired(rules_, from)) {
      const Assignment to = assign(rules_, roster_, from, at);
      if (to.post == c.post && to.holder == c.holder && to.holding == c.holding) continue;
    }
    route_to(c, from, at, why);
    // A move to the post's A, who is at work (B going away with what B took over), is the
    // one route_to does not record (it records moves to B, to the window and between
    // offices), and a move without an event would leave the case's new snapshot unsealed
    // by the log (the SQLite store then refuses to open: docs/storage.md, "Snapshots in
    // the chain").
    if (c.holding == Holding::a_holder && c.office == office && c.holder != staff) {
      const Post& p = rules_.post(c.post);
      emit_system(c, EventKind::handoff, at,
                  fmt::format("{} is away: A holder {} of post {} takes the stage ({})",
                              rules_.staff(staff).id, rules_.staff(c.holder).id, p.id, why),
                  fmt::format("post={}; from={}; to={}", p.id, rules_.staff(staff).id,
                              rules_.staff(c.holder).id));
    }
  }
}

}  // namespace workflow::detail
