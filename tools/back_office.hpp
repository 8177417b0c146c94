// The demo hall's back office (simulation.hpp): each round, every open case whose stage has
// waited its pace gets one step from the person holding it, within each clerk's capacity;
// some cases are decided on or after their deadline (yellow, red lights), a few suspended
// under §45; approvals on commitment (告知承诺) verified, a few found false and revoked.
// Draws from the hall's one random generator, in case-id order. The parts of a
// bundle (一件事一次办) are worked first, like any case, but issued together by the bundle desk.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "sim_common.hpp"

namespace workflow::cli::sim {

class BackOffice {
 public:
  // `counts` gets one entry per verb given; `away(staff)` is the hall's status board.
  BackOffice(Engine& engine, Rng& rng, std::map<std::string, int>& counts,
             std::function<bool(const std::string&)> away);

  // One round of back-office work at `minute` of `day` (the engine's clock is there).
  void round(Date day, int minute);

 private:
  // How fast a case is dealt with: most in good time, some on the deadline day (yellow),
  // some late (red), a few past the legal limit (escalated red).
  enum class Tempo { normal, tight, late, very_late };

  struct CaseTrack {
    std::string stage;  // state + post the pace below applies to
    Date ready;         // first day the holder takes it up
    Tempo tempo = Tempo::normal;
    int late_days = 0;
    bool suspended_once = false;
    bool issue_drawn = false, issue_late = false;  // §44: issued after the issue days
    std::optional<Date> resume;
  };

  CaseTrack& track(const CaseView& c);
  int pace(const CaseView& c);
  bool opinions(const CaseView& c);
  bool step(const CaseView& c, CaseTrack& t, Date day);
  void verify_commitments(Date day);

  // 告知承诺: when the commitment of an approval is verified, and what is found.
  struct Check {
    Date on;
    bool found_false = false;
  };
  std::map<CaseId, Check> checks_;

  Engine& engine_;
  const RuleSet& rules_;
  const Calendar& cal_;
  Rng& rng_;
  std::map<std::string, int>& counts_;
  std::function<bool(const std::string&)> away_;
  std::map<CaseId, CaseTrack> tracks_;
};

}  // namespace workflow::cli::sim
