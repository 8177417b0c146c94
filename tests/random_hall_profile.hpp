// What the random hall (scenario_random_hall_test.cpp) knows of the hall it drives, read from
// the hall's rules and nothing else, so the same driver runs the engine test hall and the
// shipped county rules: where each matter can be taken in and by whom, who the status board
// can send away, who coordinates, and where a case goes when nobody of its post is at work.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "workflow/engine.hpp"
#include "workflow/rules.hpp"
#include "workflow/store.hpp"

namespace workflow::testing {

// A matter a window can take in, at an office, from the clerks who may receive it there (at
// work: a B holder receives only while A is away), with every material.
struct Intake {
  std::string matter;
  std::string office;
  std::vector<std::string> clerks;
  std::vector<std::string> materials;
};

struct HallProfile {
  std::vector<Intake> intakes;
  std::vector<std::string> back_office;   // A and B of the back-office posts
  std::vector<std::string> front_desk;    // A and B of windows, 办不成事 windows, agents
  std::vector<std::string> everyone;      // the whole staff
  std::vector<std::string> coordinators;  // may move a case off its path (send, hand, 改派)
  std::map<std::string, std::vector<std::string>> posts_of_department;  // its windows, back office

  // The post's A and B, and the 办不成事 window that takes the post's cases when both are
  // away: in the post's office or the nearest office above (none for the window itself).
  struct Cover {
    std::string a, b;
    std::optional<std::string> window;
  };
  std::map<std::string, Cover> cover;  // by post id
};

// Every matter tried at every office from every window and agent post's A holder, on a
// scratch engine at `when` with every material: what the engine takes in is an intake.
inline HallProfile learn_hall(const RuleSet& rules, const Calendar& calendar, DateTime when) {
  HallProfile h;
  const auto id = [&](StaffRef s) { return rules.staff(s).id; };
  for (const Staff& s : rules.staff()) h.everyone.push_back(s.id);
  std::set<std::string> back, front, coordinating;
  std::set<std::uint32_t> supervisors;
  for (const Post& p : rules.posts()) {
    if (p.supervisor) supervisors.insert(index_of(*p.supervisor));
  }
  const auto nearest_window = [&](OfficeRef office) -> std::optional<std::string> {
    for (std::optional<OfficeRef> o = office; o; o = rules.office(*o).parent) {
      for (const Post& w : rules.posts()) {
        if (w.role == PostRole::unresolved && w.office == *o) return w.id;
      }
    }
    return std::nullopt;
  };
  for (std::uint32_t i = 0; i < rules.posts().size(); ++i) {
    const Post& p = rules.posts()[i];
    std::set<std::string>& board = p.role == PostRole::back_office ? back : front;
    if (p.role != PostRole::policy) board.insert({id(p.a), id(p.b)});
    if (p.sends_unresolved || p.reassigns || p.role == PostRole::unresolved ||
        p.role == PostRole::window || supervisors.count(i) != 0) {
      coordinating.insert({id(p.a), id(p.b)});
    }
    if (p.role == PostRole::back_office || p.role == PostRole::window) {
      h.posts_of_department[rules.department(p.department).id].push_back(p.id);
    }
    h.cover[p.id] = HallProfile::Cover{
        id(p.a), id(p.b),
        p.role == PostRole::unresolved ? std::nullopt : nearest_window(p.office)};
  }
  h.back_office.assign(back.begin(), back.end());
  h.front_desk.assign(front.begin(), front.end());
  h.coordinators.assign(coordinating.begin(), coordinating.end());

  auto clock = std::make_shared<ManualClock>(when);
  Engine scratch(rules, calendar, clock, Options{.store = make_memory_store()});
  for (const Matter& m : rules.matters()) {
    std::vector<std::string> materials;
    for (const Material& mat : m.materials) materials.push_back(mat.name);
    for (const Office& office : rules.offices()) {
      Intake in{m.code, office.id, {}, materials};
      for (const Post& p : rules.posts()) {
        if ((p.role != PostRole::window && p.role != PostRole::agent) ||
            rules.office(p.office).id != office.id) {
          continue;
        }
        try {
          scratch.submit(Submission{m.code, office.id, id(p.a), "试探", materials});
          in.clerks.push_back(id(p.a));
        } catch (const Error&) {
          // not taken here, or not by this post
        }
      }
      if (!in.clerks.empty()) h.intakes.push_back(std::move(in));
    }
  }
  return h;
}

}  // namespace workflow::testing
