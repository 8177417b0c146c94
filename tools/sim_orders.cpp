// 督办 and 改派 in the demo hall (sim_orders.hpp).
#include "sim_orders.hpp"

#include <algorithm>
#include <array>

namespace workflow::cli::sim {
namespace {

constexpr std::array<const char*, 4> kLateReasons = {
    "办件亮红灯，请说明原因并限期办结", "超承诺时限未办结，督促办理", "群众反映办理进度慢，请核查",
    "电子监察预警，请加快办理"};
constexpr std::array<const char*, 3> kComplaintReasons = {
    "差评涉及窗口服务，请核实整改并回复", "群众投诉办理态度，请限期整改", "差评反映材料要求不一，请核查"};

}  // namespace

OversightDesk::OversightDesk(Desk desk, unsigned seed)
    : desk_(std::move(desk)), rng_(seed * 104729u + 31u), rules_(desk_.engine.rules()),
      cal_(desk_.engine.calendar()) {
  const auto posts = rules_.posts();
  for (std::uint32_t i = 0; i < posts.size(); ++i) {
    if (posts[i].issues_orders) issuers_.push_back(PostRef{i});
  }
}

void OversightDesk::plan_day(Date day, Agenda& agenda) {
  agenda.add(10 * 60 + 45, [this, day] { rebalance(day); });
  agenda.add(15 * 60 + 30, [this, day] { follow_up(day); });
  agenda.add(16 * 60 + 45, [this, day] { supervise(day); });
}

std::string OversightDesk::who(CaseId id, Verb verb, const std::vector<PostRef>& posts) const {
  for (const PostRef p : posts) {
    const Post& post = rules_.post(p);
    for (const StaffRef s : {post.a, post.b}) {
      const std::string& staff = rules_.staff(s).id;
      if (desk_.away(staff)) continue;
      const std::vector<Verb> can = desk_.engine.available_actions(id, staff);
      if (std::find(can.begin(), can.end(), verb) != can.end()) return staff;
    }
  }
  return {};
}

std::vector<PostRef> OversightDesk::unit_posts(const std::string& department) const {
  std::vector<PostRef> out;
  const auto posts = rules_.posts();
  for (std::uint32_t i = 0; i < posts.size(); ++i) {
    if (rules_.department(posts[i].department).id == department) out.push_back(PostRef{i});
  }
  return out;
}

// The duty leader reads the electronic supervision board at the end of the day: about one red
// case in three, and one open complaint (a bad rating's rectification) in four, gets an order
// to the unit holding it.
void OversightDesk::supervise(Date day) {
  for (const CaseView& c : desk_.engine.list()) {
    if (ordered_.count(c.id)) continue;
    const bool red = c.state < CaseState::issued &&
                     (c.light == Light::red || c.light == Light::escalated_red);
    const bool complaint = c.rectification && c.rectification->state != RectificationState::closed;
    if (!red && !complaint) continue;
    ordered_.insert(c.id);
    if (!chance(rng_, red ? 0.35 : 0.25)) continue;
    const std::string issuer = who(c.id, Verb::order, issuers_);
    if (issuer.empty()) continue;
    Action a{.actor = issuer};
    a.reason = red ? kLateReasons[uniform(rng_, 0, int(kLateReasons.size()) - 1)]
                   : kComplaintReasons[uniform(rng_, 0, int(kComplaintReasons.size()) - 1)];
    desk_.engine.act(c.id, Verb::order, a);
    ++desk_.counts["order"];
    const OrderView o = desk_.engine.get(c.id).orders.back();
    const int days = o.reply_days;
    // Most units reply within the days, some after them, a few not at all (escalated).
    const int roll = uniform(rng_, 0, 99);
    const std::uint32_t n = o.number;
    if (roll < 8) {
      steps_[cal_.add_working_days(o.due, 2)].push_back(
          {c.id, {day, Verb::escalate_order, n, "逾期未回复，提请问责"}});
      continue;
    }
    const bool late = roll < 22;
    const Date reply = late ? cal_.add_working_days(o.due, uniform(rng_, 1, 3))
                            : cal_.add_working_days(day, uniform(rng_, 1, days));
    steps_[reply].push_back({c.id, {day, Verb::reply_order, n, "已安排专人办理，情况已核实"}});
    const bool escalate = chance(rng_, late ? 0.3 : 0.05);
    steps_[cal_.add_working_days(reply, 1)].push_back(
        {c.id, {day, escalate ? Verb::escalate_order : Verb::close_order, n,
                escalate ? "回复不实，提请问责" : "回复属实，予以销号"}});
  }
}

void OversightDesk::follow_up(Date day) {
  const auto due = steps_.find(day);
  if (due == steps_.end()) return;
  for (const auto& [id, step] : due->second) {
    const CaseView c = desk_.engine.get(id);
    const OrderView& o = c.orders[step.order - 1];
    Verb verb = step.verb;
    std::string reason = step.reason;
    if (verb == Verb::reply_order && o.state != OrderState::open) continue;
    if (verb != Verb::reply_order &&
        (o.state == OrderState::closed || o.state == OrderState::escalated)) {
      continue;
    }
    if (verb == Verb::close_order && o.state == OrderState::open) {
      verb = Verb::escalate_order;  // the reply never came (nobody was there to give it)
      reason = "逾期未回复，提请问责";
    }
    const std::string actor = verb == Verb::reply_order
                                  ? who(id, verb, unit_posts(o.department))
                                  : who(id, verb, issuers_);
    if (actor.empty()) continue;  // nobody present: it waits (and shows so in the report)
    Action a{.actor = actor};
    a.reason = reason;
    a.order = step.order;
    desk_.engine.act(id, verb, a);
    ++desk_.counts[std::string(to_string(verb))];
  }
  steps_.erase(due);
}

// A window's leader moves a waiting case from the unit's busiest window to its quietest, on
// about one working day in four, when the busiest has three more waiting than the quietest.
void OversightDesk::rebalance(Date day) {
  (void)day;
  if (!chance(rng_, 0.25)) return;
  std::map<std::string, std::vector<CaseId>> waiting;  // window post → cases it holds
  for (const CaseView& c : desk_.engine.list()) {
    if (c.bundle != 0 || c.suspended || c.holding != Holding::a_holder) continue;
    if (c.state != CaseState::preliminary_review && c.state != CaseState::decided) continue;
    waiting[c.post].push_back(c.id);
  }
  std::map<std::string, std::vector<std::string>> windows;  // department → its window posts
  for (const Post& p : rules_.posts()) {
    if (p.role == PostRole::window) windows[rules_.department(p.department).id].push_back(p.id);
  }
  for (const auto& [unit, posts] : windows) {
    if (posts.size() < 2) continue;
    std::string busiest, quietest;
    for (const std::string& p : posts) {
      if (desk_.away(rules_.staff(rules_.post(*rules_.find_post(p)).a).id)) continue;
      if (busiest.empty() || waiting[p].size() > waiting[busiest].size()) busiest = p;
      if (quietest.empty() || waiting[p].size() < waiting[quietest].size()) quietest = p;
    }
    if (busiest.empty() || waiting[busiest].size() < waiting[quietest].size() + 3) continue;
    const CaseId id = waiting[busiest].back();
    std::vector<PostRef> leaders;
    const PostRef from = *rules_.find_post(busiest);
    if (rules_.post(from).supervisor) leaders.push_back(*rules_.post(from).supervisor);
    for (const PostRef p : unit_posts(unit)) {
      if (rules_.post(p).reassigns) leaders.push_back(p);
    }
    const std::string leader = who(id, Verb::reassign, leaders);
    if (leader.empty()) continue;
    Action a{.actor = leader};
    a.to_post = quietest;
    a.reason = "窗口积压，改派至" + rules_.post(*rules_.find_post(quietest)).name;
    desk_.engine.act(id, Verb::reassign, a);
    ++desk_.counts["reassign"];
    return;  // one a day
  }
}

}  // namespace workflow::cli::sim
