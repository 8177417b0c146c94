// Who may act on a case now (routing): the post of each stage, in the office the (possibly
// delegated) stage belongs to; its A holder, or B while A is away (AB岗); the office's
// 办不成事 window when both are away. Pure functions over the rule set and the roster.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lifecycle/case_record.hpp"
#include "workflow/clock.hpp"
#include "workflow/rules.hpp"

namespace workflow::detail {

// The status board (去向牌): who is away, from when until when. Indexed by StaffRef.
class Roster {
 public:
  struct Absence {
    AbsenceKind kind = AbsenceKind::leave;
    DateTime from;
    DateTime until;  // exclusive
    bool set = false;
  };

  explicit Roster(std::size_t staff_count) : absences_(staff_count) {}
  // An install added staff (the running rule set only appends entries).
  void resize(std::size_t staff_count) { absences_.resize(staff_count); }
  bool is_away(StaffRef s, DateTime now) const noexcept {
    const Absence& a = absences_[index_of(s)];
    return a.set && a.from <= now && now < a.until;
  }
  const Absence& absence(StaffRef s) const noexcept { return absences_[index_of(s)]; }
  void set(StaffRef s, Absence a) { absences_[index_of(s)] = a; }
  void clear(StaffRef s) { absences_[index_of(s)].set = false; }
  std::size_t size() const noexcept { return absences_.size(); }

 private:
  std::vector<Absence> absences_;
};

// Who holds a post's work right now.
struct Assignment {
  PostRef post{};
  OfficeRef office{};
  StaffRef holder{};
  Holding holding = Holding::a_holder;
};

// A holder if present, else B covering, else the 办不成事 window of the post's office (or the
// nearest office above that has one), held by its own A or B. If no such window exists the
// case stays at the post, flagged unresolved, with A named.
Assignment assign(const RuleSet& rules, const Roster& roster, PostRef post, DateTime now);

// The office's 办不成事 window, or the nearest one up the tree.
std::optional<PostRef> unresolved_window(const RuleSet& rules, OfficeRef office);

// Whether `staff` currently holds `post`: its A holder while present, or its B holder while
// A is away.
bool holds(const RuleSet& rules, const Roster& roster, StaffRef staff, PostRef post,
           DateTime now);

// Where an application handed in at `at` on `day` is handled.
struct Intake {
  OfficeRef accepting_office{};
  std::optional<DelegationRef> delegation;  // in force on `day`
  bool via_agent = false;  // handed in at a village station by an agent
  bool cross_region = false;  // 跨域通办: accepted here, handled by the matter's own office
  std::string note;        // why it was routed elsewhere than `at`, if it was
};

// Throws Error(invalid_argument) naming the matter and office when the matter cannot be
// handled from there (a county matter at a township with no delegation and no county above,
// a non-proxy matter at a village station, an office of another county). A cross-region
// matter (跨域通办) handed in at any other office with windows is accepted there.
Intake route_intake(const RuleSet& rules, MatterRef matter, OfficeRef at, Date day);

// The office that reviews and decides the case: the matter's own office, the township under
// a full delegation, the delegating office under the other modes.
OfficeRef handling_office(const RuleSet& rules, const CaseRecord& c);

// Accepted in one office and handled by another without a delegation (跨域通办).
bool is_cross_region(const RuleSet& rules, const CaseRecord& c);

// The office whose window does the preliminary review (初审): the accepting office, except
// under a window-forward delegation or across regions, where the handling office does it.
OfficeRef preliminary_office(const RuleSet& rules, const CaseRecord& c);

// The post of back-office stage `stage`: the matter's, or the township's post under a full
// delegation.
PostRef stage_post(const RuleSet& rules, const CaseRecord& c, std::uint8_t stage);

// The lead of a joint case, who decides after the opinions: the stage whose post belongs to
// the matter's own department, else the first stage.
std::uint8_t lead_stage(const RuleSet& rules, const Matter& m);

// The window posts of an office, in rule order.
std::vector<PostRef> window_posts(const RuleSet& rules, OfficeRef office);

}  // namespace workflow::detail
