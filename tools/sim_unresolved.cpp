// 办不成事反映窗口 in the demo hall (sim_unresolved.hpp).
#include "sim_unresolved.hpp"

#include <algorithm>
#include <array>

namespace workflow::cli::sim {
namespace {

constexpr std::array<const char*, 4> kReasons = {
    "因历史原因资料缺失，单一窗口无法办理", "涉及多个部门职责交叉，需协调处理",
    "相关政策临时调整，窗口无法及时办理", "申请人多次往返未办成，转办不成事窗口"};
constexpr std::array<const char*, 3> kOutcomes = {
    "经协调，补齐历史资料后继续办理", "多部门会商后明确由本单位牵头办理", "经核查出具情况说明，按规定办结"};

// Joint matters involve several departments; 不动产 and 宅基地 ones carry most of the
// county's historical problems (历史遗留: old titles, missing files).
bool complex_matter(const RuleSet& rules, const CaseView& c) {
  if (c.kind == MatterKind::joint) return true;
  const Matter& m = rules.matter(*rules.find_matter(c.matter));
  return rules.department(m.department).id.find("bdc") != std::string::npos ||
         m.name.find("宅基地") != std::string::npos;
}

}  // namespace

UnresolvedDesk::UnresolvedDesk(Desk desk, unsigned seed)
    : desk_(std::move(desk)), rules_(desk_.engine.rules()), cal_(desk_.engine.calendar()),
      rng_(seed * 104729u + 31u) {}

void UnresolvedDesk::plan_day(Date day, Agenda& agenda) {
  for (const CaseId id : hand_[day]) agenda.add(uniform(rng_, 570, 660), [this, id, day] { hand(id, day); });
  hand_.erase(day);
  for (const CaseId id : settle_[day]) agenda.add(uniform(rng_, 900, 1020), [this, id] { settle(id); });
  settle_.erase(day);
  agenda.add(17 * 60 + 40, [this, day] { collect(day); });
}

std::string UnresolvedDesk::holder_for(CaseId id, PostRef post, Verb verb) const {
  const Post& p = rules_.post(post);
  for (const StaffRef s : {p.a, p.b}) {
    const std::string& who = rules_.staff(s).id;
    if (desk_.away(who)) continue;
    const std::vector<Verb> can = desk_.engine.available_actions(id, who);
    if (std::find(can.begin(), can.end(), verb) != can.end()) return who;
  }
  return {};
}

// About one in fifty complex applications received today goes to the 办不成事 window, sent
// by the clerk who received it, or else by a window of the accepting office that may send
// it (A, or B while A is away).
void UnresolvedDesk::collect(Date day) {
  for (const CaseView& c : desk_.engine.list()) {
    if (c.received.date() != day || !seen_.insert(c.id).second) continue;
    if (c.state >= CaseState::decided || !complex_matter(rules_, c)) continue;
    if (!chance(rng_, 0.02)) continue;
    // The clerk who received it, if their window may send; else a window that may.
    const std::vector<Verb> can = desk_.engine.available_actions(c.id, c.first_handler);
    std::string sender = std::find(can.begin(), can.end(), Verb::send_unresolved) != can.end()
                             ? c.first_handler
                             : std::string{};
    const auto posts = rules_.posts();
    for (std::uint32_t i = 0; i < posts.size() && sender.empty(); ++i) {
      if (posts[i].sends_unresolved && posts[i].role == PostRole::window &&
          rules_.office(posts[i].office).id == c.accepting_office) {
        sender = holder_for(c.id, PostRef{i}, Verb::send_unresolved);
      }
    }
    if (sender.empty()) continue;
    desk_.engine.act(c.id, Verb::send_unresolved,
                     {.actor = sender, .reason = kReasons[uniform(rng_, 0, int(kReasons.size()) - 1)]});
    ++desk_.counts["unresolved_sent"];
    hand_[cal_.add_working_days(day, uniform(rng_, 1, 2))].push_back(c.id);
  }
}

// The window hands it to one of the units that handle the matter, with the rules' limit;
// three in four settle within it, the second of every four one to four working days late
// (a count, not a draw: with a handful of cases a draw would often give none or all late).
void UnresolvedDesk::hand(CaseId id, Date day) {
  const CaseView c = desk_.engine.get(id);
  if (!c.coordination) return;
  const PostRef window = *rules_.find_post(c.coordination->window);
  const std::string who = holder_for(id, window, Verb::hand_to_unit);
  if (who.empty()) {  // nobody at the window today: tomorrow
    hand_[cal_.add_working_days(day, 1)].push_back(id);
    return;
  }
  const Matter& m = rules_.matter(*rules_.find_matter(c.matter));
  std::vector<DepartmentRef> units{m.department};
  for (const Stage& s : m.stages) units.push_back(rules_.post(s.post).department);
  const DepartmentRef unit = units[uniform(rng_, 0, int(units.size()) - 1)];
  desk_.engine.act(id, Verb::hand_to_unit,
                   {.actor = who, .reason = "转交责任单位办理", .unit = rules_.department(unit).id});
  ++desk_.counts["unresolved_handed"];
  const int limit = rules_.policy().unresolved_settle_days;
  const bool late = ++handed_ % 4 == 2;
  const int after = late ? limit + uniform(rng_, 1, 4) : uniform(rng_, 2, limit);
  settle_[cal_.add_working_days(day, after)].push_back(id);
}

// The unit's back-office post that handles the matter records the outcome (A, or B while A
// is away; its supervisor if neither is in).
void UnresolvedDesk::settle(CaseId id) {
  const CaseView c = desk_.engine.get(id);
  if (!c.coordination || !c.coordination->unit.size()) return;
  const DepartmentRef unit = *rules_.find_department(c.coordination->unit);
  std::string who;
  const auto posts = rules_.posts();
  for (std::uint32_t i = 0; i < posts.size() && who.empty(); ++i) {
    if (posts[i].department == unit && posts[i].role == PostRole::back_office) {
      who = holder_for(id, PostRef{i}, Verb::settle_unresolved);
    }
  }
  if (who.empty()) {  // the unit's staff are all out today: tomorrow
    settle_[cal_.add_working_days(desk_.engine.now().date(), 1)].push_back(id);
    return;
  }
  desk_.engine.act(id, Verb::settle_unresolved,
                   {.actor = who, .reason = kOutcomes[uniform(rng_, 0, int(kOutcomes.size()) - 1)]});
  ++desk_.counts["unresolved_settled"];
}

}  // namespace workflow::cli::sim
